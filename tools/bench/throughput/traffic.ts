/**
 * Open-loop traffic: orders are placed on a fixed schedule whether or not earlier ones have
 * finished (a closed loop would slow down with the stack and hide its limit).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The services' X-Api-Key (a write key): the bench's own stack sets it (useApiKey), else COMMERCE_API_KEY. */
let apiKey = process.env['COMMERCE_API_KEY'] ?? '';

/** Sends this key with every request from now on. */
export function useApiKey(key: string): void {
  apiKey = key;
}

export async function http<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The bench's catalogue: `count` SKUs on one warehouse node, each stocked for every order. */
export async function stockCatalogue(inventoryUrl: string, count: number, unitsEach: number): Promise<string[]> {
  const run = randomUUID().slice(0, 8).toUpperCase();
  const skus = Array.from({ length: count }, (_, i) => `BENCH-${run}-${i}`);
  for (const sku of skus) await http('PUT', `${inventoryUrl}/stock/${sku}/wh-bench`, { onHand: unitsEach });
  return skus;
}

export interface PlacedTraffic {
  /** orderId the order service accepted -> when the bench sent its POST (epoch ms, this host's clock). */
  sentAt: Map<string, number>;
  failures: string[];
  /** Seconds over which the orders were sent (the schedule's length unless the bench fell behind it). */
  sendSeconds: number;
}

/**
 * Places `rate` orders a second for `seconds` seconds (one line, quantity 1, tok_ok, SKUs in
 * turn), resolving once every POST has answered. Each order's send time is the customer's
 * "placed": it includes any wait for the order service to take the request.
 */
export async function placeOrders(options: { orderUrl: string; skus: readonly string[]; rate: number; seconds: number }): Promise<PlacedTraffic> {
  const total = Math.round(options.rate * options.seconds);
  const sentAt = new Map<string, number>();
  const failures: string[] = [];
  const placing: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / options.rate - performance.now();
    if (wait > 0) await sleep(wait);
    const sentAtMs = Date.now();
    placing.push(
      http<{ orderId: string }>(
        'POST',
        `${options.orderUrl}/orders`,
        {
          customerId: 'cus_bench',
          currency: 'EUR',
          lines: [{ sku: options.skus[i % options.skus.length], quantity: 1, unitPriceMinor: 1999 }],
          paymentToken: 'tok_ok',
          shippingAddress: { name: 'Bench Mark', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
        },
        { 'idempotency-key': randomUUID() },
      ).then(
        (order) => void sentAt.set(order.orderId, sentAtMs),
        (error: Error) => void failures.push(error.message),
      ),
    );
  }
  const sendSeconds = (performance.now() - start) / 1000 + 1 / options.rate;
  await Promise.all(placing);
  return { sentAt, failures, sendSeconds };
}
