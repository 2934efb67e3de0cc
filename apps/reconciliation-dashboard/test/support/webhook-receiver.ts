import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP endpoint for the reconciliation service's webhooks: answers `status`, records the delivery ids it answered 2xx. */
export interface WebhookReceiver {
  url: string;
  status: number;
  delivered: string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(status: number): Promise<WebhookReceiver> {
  const receiver = { status, delivered: [] as string[] } as WebhookReceiver;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const id = request.headers['x-reconciliation-delivery'];
      if (receiver.status < 300 && typeof id === 'string') receiver.delivered.push(id);
      response.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}
