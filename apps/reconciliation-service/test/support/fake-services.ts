import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { COMPACT_CONTENT_TYPE, compactPageText, fullOrderMilestones, type MilestonesPage, type OrderMilestones, type ParsedOrderMilestones } from '@commerce/contracts';
import { SOURCE_SERVICES, type SourceService } from '../../src/rules/order-view';

/** The key the fakes ask for, as the real services do: the service under test sends it as SERVICES_CALLER_KEY. */
export const FAKE_SERVICES_CALLER_KEY = 'the-fake-services-read-key';

/**
 * Small real HTTP servers standing in for the five services' `GET /milestones` (all three modes:
 * orderIds, updatedSince + cursor, afterOrderId; full or compact form), serving fixed records held in memory. A fake of
 * the other services, for the reconciliation service's own integration tests; the end-to-end
 * suite runs it against the real ones.
 */
export class FakeService {
  readonly records = new Map<string, OrderMilestones>();
  /** `down`: answers 503; `hang`: never answers (the client times out). */
  mode: 'up' | 'down' | 'hang' = 'up';
  /** false: answers the full form even when asked for the compact one (as a service of an older version). */
  answersCompact = true;
  /** Added before every answer. */
  delayMs = 0;
  requests = 0;
  /** Every orderId asked for with `?orderIds=`, in the order asked. */
  askedByOrderId: string[] = [];
  /** What `/outbox/pending?orderId=` and `/dead-letters?orderId=` answer per order (the messaging lib's routes). */
  readonly pipes = new Map<string, { outbox: unknown[]; deadLetters: unknown[] }>();
  private server: Server | null = null;
  private readonly sockets = new Set<import('node:net').Socket>();
  url = '';

  constructor(readonly service: SourceService) {}

  put(...records: ParsedOrderMilestones[]): void {
    for (const record of records) this.records.set(record.orderId, fullOrderMilestones(record));
  }

  delete(orderId: string): void {
    this.records.delete(orderId);
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests++;
    if (this.mode === 'hang') return;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const url = new URL(request.url ?? '/', 'http://x');
    if (request.headers['x-api-key'] !== FAKE_SERVICES_CALLER_KEY) return this.send(response, 401, { title: 'API key required' });
    if (this.mode === 'down') return this.send(response, 503, { title: 'unavailable' });
    if (url.pathname === '/outbox/pending' || url.pathname === '/dead-letters') return this.sendPipes(response, url);
    const replay = /^\/dead-letters\/([^/]+)\/replay$/.exec(url.pathname);
    if (replay && request.method === 'POST') {
      this.replayed.push(decodeURIComponent(replay[1] ?? ''));
      return this.send(response, 200, { id: replay[1], outcome: 'applied' });
    }
    if (url.pathname !== '/milestones') return this.send(response, 404, { title: 'not found' });
    const query = url.searchParams;
    const limit = Number(query.get('limit') ?? 500);
    const byOrderId = () => [...this.records.values()].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));

    if (query.has('orderIds')) {
      const ids = (query.get('orderIds') ?? '').split(',').filter(Boolean);
      this.askedByOrderId.push(...ids);
      if (ids.length > 500) return this.send(response, 400, { title: 'too many orderIds' });
      const items = ids.flatMap((id) => this.records.get(id) ?? []);
      return this.page(response, query, items, null);
    }
    if (query.has('afterOrderId')) {
      const after = query.get('afterOrderId') ?? '';
      const items = byOrderId().filter((r) => r.orderId > after).slice(0, limit + 1);
      const page = items.slice(0, limit);
      return this.page(response, query, page, items.length > limit ? page[page.length - 1].orderId : null);
    }
    if (query.has('updatedSince')) {
      const since = query.get('updatedSince') ?? '';
      const cursor = query.get('cursor');
      const [afterAt, afterId] = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string]) : ['', ''];
      const items = [...this.records.values()]
        .filter((r) => Date.parse(r.updatedAt) >= Date.parse(since))
        .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || (a.orderId < b.orderId ? -1 : 1))
        .filter((r) => !cursor || Date.parse(r.updatedAt) > Date.parse(afterAt) || (r.updatedAt === afterAt && r.orderId > afterId))
        .slice(0, limit + 1);
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return this.page(response, query, page, items.length > limit && last ? Buffer.from(JSON.stringify([last.updatedAt, last.orderId])).toString('base64url') : null);
    }
    return this.send(response, 400, { title: 'either orderIds, updatedSince or afterOrderId is required' });
  }

  /** Dead letter ids replayed through `POST /dead-letters/:id/replay`, in order. */
  readonly replayed: string[] = [];

  private sendPipes(response: ServerResponse, url: URL): void {
    const orderId = url.searchParams.get('orderId');
    if (orderId === null) {
      const all = [...this.pipes.values()];
      if (url.pathname === '/dead-letters') return this.send(response, 200, all.flatMap((pipes) => pipes.deadLetters));
      return this.send(response, 200, { count: all.reduce((sum, pipes) => sum + pipes.outbox.length, 0), oldestCreatedAt: null, lastPublishedAt: null });
    }
    const pipes = this.pipes.get(orderId) ?? { outbox: [], deadLetters: [] };
    if (url.pathname === '/dead-letters') return this.send(response, 200, pipes.deadLetters);
    this.send(response, 200, { count: pipes.outbox.length, oldestCreatedAt: null, items: pipes.outbox });
  }

  private page(response: ServerResponse, query: URLSearchParams, items: OrderMilestones[], nextCursor: string | null): void {
    const service = `${this.service}-service`;
    if (this.answersCompact && query.get('format') === 'compact') {
      response.writeHead(200, { 'content-type': COMPACT_CONTENT_TYPE });
      return void response.end(compactPageText(service, items, nextCursor));
    }
    const page: MilestonesPage = { service, items, nextCursor };
    this.send(response, 200, page);
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}

/** One fake per service. */
export class FakeServices {
  readonly services: Record<SourceService, FakeService> = Object.fromEntries(
    SOURCE_SERVICES.map((service) => [service, new FakeService(service)]),
  ) as Record<SourceService, FakeService>;

  async start(): Promise<void> {
    await Promise.all(Object.values(this.services).map((s) => s.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.services).map((s) => s.stop()));
  }

  /** Puts a view's records in the services (a null answer deletes the service's record). */
  put(view: { orderId: string; services: Record<SourceService, ParsedOrderMilestones | null | 'unavailable'> }): void {
    for (const service of SOURCE_SERVICES) {
      const answer = view.services[service];
      if (answer === null) this.services[service].delete(view.orderId);
      else if (answer !== 'unavailable') this.services[service].put(answer);
    }
  }

  /** The env pointing the reconciliation service at these fakes. */
  env(): Record<string, string> {
    return {
      ORDER_SERVICE_URL: this.services.order.url,
      INVENTORY_SERVICE_URL: this.services.inventory.url,
      PAYMENT_SERVICE_URL: this.services.payment.url,
      SHIPMENT_SERVICE_URL: this.services.shipment.url,
      NOTIFICATION_SERVICE_URL: this.services.notification.url,
    };
  }
}
