import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * The compose stack as the suite sees it: the apps' published ports (set by test-compose.sh) and
 * docker-compose for the one fault it injects. COMPOSE_FILE and COMPOSE_PROJECT_NAME come from the
 * environment, so `docker-compose` here is the stack the script started.
 */
export type App = 'order' | 'inventory' | 'payment' | 'shipment' | 'notification' | 'reconciliation' | 'dashboard';

const run = promisify(execFile);

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite through \`npm run test:compose\``);
  return value;
}

export const url = (app: App): string => `http://127.0.0.1:${setting(`${app.toUpperCase()}_HOST_PORT`)}`;
export const apiKey = (): string => setting('RECONCILIATION_API_KEY');
export const operator = (): { name: string; token: string } => {
  const [first = ''] = setting('DASHBOARD_OPERATORS').split(',');
  const [name = '', token = ''] = first.split(':');
  return { name, token };
};

export async function compose(...args: string[]): Promise<string> {
  return (await run('docker-compose', args, { timeout: 120_000 })).stdout;
}

export interface Line {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

/** One REST call; any status but `expected` fails with the answer in the message. */
export async function call<T>(expected: number, app: App, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url(app) + path, {
    method,
    // The five services want a key of SERVICE_API_KEYS (test-compose.sh sets COMMERCE_API_KEY); the
    // reconciliation service's own key comes in `headers`.
    headers: { 'x-api-key': process.env['COMMERCE_API_KEY'] ?? '', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${method} ${app}${path} answered ${response.status}, expected ${expected}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const shop = {
  setStock: (sku: string, node: string, onHand: number) => call(200, 'inventory', 'PUT', `/stock/${encodeURIComponent(sku)}/${encodeURIComponent(node)}`, { onHand }),
  placeOrder: (lines: Line[], paymentToken = 'tok_ok') =>
    call<{ orderId: string; status: string; totalMinor: number }>(201, 'order', 'POST', '/orders', {
      customerId: 'compose-customer',
      currency: 'EUR',
      lines,
      paymentToken,
      shippingAddress: { name: 'Compose Customer', line1: '1 Container Way', city: 'Berlin', postalCode: '10115', country: 'DE' },
    }, { 'idempotency-key': randomUUID() }),
  order: (orderId: string) => call<{ status: string; milestones: Array<{ name: string }> }>(200, 'order', 'GET', `/orders/${orderId}`),
  cancel: (orderId: string) => call(202, 'order', 'POST', `/orders/${orderId}/cancel`, { reason: 'changed my mind' }),
  shipments: (orderId: string) =>
    call<Array<{ shipmentId: string; node: string; status: string; valueMinor: number }>>(200, 'shipment', 'GET', `/shipments?orderId=${encodeURIComponent(orderId)}`),
  dispatch: (shipmentId: string) => call<{ status: string }>(200, 'shipment', 'POST', `/shipments/${shipmentId}/dispatch`),
  deliver: (shipmentId: string) => call<{ status: string }>(200, 'shipment', 'POST', `/shipments/${shipmentId}/deliver`),
};

export interface Run {
  id: string;
  status: string;
  ordersChecked: number;
  unavailableServices: Record<string, string>;
  error: string | null;
}

export const reconciliation = {
  call: <T>(expected: number, method: string, path: string, body?: unknown) => call<T>(expected, 'reconciliation', method, path, body, { 'x-api-key': apiKey() }),
  openCases: async () => (await reconciliation.call<{ items: unknown[] }>(200, 'GET', '/cases?status=open&limit=200')).items,
};
