import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One request as the receiver saw it, with whether its signature held (checked as a receiver would). */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: { deliveryId: string; event: string; occurredAt: string; case: { id: string; orderId: string; rule: string; status: string; previousStatus: string | null }; actor: string; reason: string };
  rawBody: string;
  signatureValid: boolean;
  answered: number;
}

/**
 * A real HTTP receiver on a random port. It verifies every request's signature itself, from the
 * documented scheme (HMAC-SHA256 of `<timestamp>.<raw body>`), not with the service's code, and
 * answers with what `answer` says for that request (200 unless told otherwise).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: (request: Omit<ReceivedWebhook, 'answered'>) => number = () => 200;
  private server: Server | null = null;

  constructor(private readonly secret: string) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const seen = { headers: request.headers, rawBody, body: JSON.parse(rawBody) as ReceivedWebhook['body'], signatureValid: this.verify(request.headers, rawBody) };
        const answered = this.answer(seen);
        this.received.push({ ...seen, answered });
        response.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'ok' : 'not now');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks`;
  }

  /** What was received about these orders, in arrival order. */
  about(orderIds: readonly string[]): ReceivedWebhook[] {
    return this.received.filter((request) => orderIds.includes(request.body.case.orderId));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private verify(headers: IncomingHttpHeaders, rawBody: string): boolean {
    const timestamp = headers['x-reconciliation-timestamp'];
    const signature = headers['x-reconciliation-signature'];
    if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
