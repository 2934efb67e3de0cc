// Serves GET /milestones for the five services over N generated orders (a separate process, so
// generating pages does not compete with the service being measured). Orders are consistent
// DELIVERED ones except every 1000th, which lacks its capture (dispatched-not-captured).
// Usage: node -r @swc-node/register milestones-fixture-server.ts <orders> ; prints the five ports as JSON.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const ORDERS = Number(process.argv[2] ?? 1_000_000);
const SERVICES = ['order', 'inventory', 'payment', 'shipment', 'notification'] as const;
const T0 = Date.parse('2025-01-01T10:00:00.000Z');
/** Orders marked changed (updatedAt = when marked), for the incremental run. */
const changed = new Map<number, string>();

/** UUID-shaped ids spread evenly over the keyspace and ascending with i (so pages are index ranges). */
const orderIdOf = (i: number) => {
  const spread = Math.floor((i * 2 ** 48) / ORDERS).toString(16).padStart(12, '0');
  return `${spread.slice(0, 8)}-${spread.slice(8, 12)}-4000-8000-${i.toString(16).padStart(12, '0')}`;
};
const indexOf = (orderId: string) => (/^[0-9a-f]{8}-[0-9a-f]{4}-4000-8000-[0-9a-f]{12}$/.test(orderId) ? parseInt(orderId.slice(24), 16) : -1);
/** The first index whose id is greater than `after` (binary search: ids ascend with the index). */
function firstAfter(after: string): number {
  let lo = 0;
  let hi = ORDERS;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (orderIdOf(mid) > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
const isoCache = new Map<number, string>();
/** Every order happens at the same times (cached), so generating pages costs the fixture little. */
const iso = (_i: number, minutes: number) => {
  let text = isoCache.get(minutes);
  if (!text) isoCache.set(minutes, (text = new Date(T0 + minutes * 60_000).toISOString()));
  return text;
};

function item(service: (typeof SERVICES)[number], i: number): string {
  const id = orderIdOf(i);
  const updatedAt = changed.get(i) ?? iso(i, 30);
  switch (service) {
    case 'order':
      return `{"orderId":"${id}","status":"DELIVERED","updatedAt":"${updatedAt}","milestones":[{"name":"PLACED","at":"${iso(i, 0)}","ref":"${id}","amountMinor":5000,"currency":"EUR","quantity":3},{"name":"CONFIRMED","at":"${iso(i, 2)}","ref":"pay-${i}","amountMinor":5000,"currency":"EUR"},{"name":"SHIPPED","at":"${iso(i, 10)}","quantity":1},{"name":"DELIVERED","at":"${iso(i, 30)}","quantity":1}],"facts":{"totalMinor":5000,"currency":"EUR","units":3,"lines":2,"cancellationRequested":false}}`;
    case 'inventory':
      return `{"orderId":"${id}","status":"COMMITTED","updatedAt":"${updatedAt}","milestones":[{"name":"RESERVED","at":"${iso(i, 1)}","ref":"res-${i}","quantity":3},{"name":"COMMITTED","at":"${iso(i, 10)}","ref":"shp-${i}","quantity":3,"detail":{"reservationId":"res-${i}","node":"BER-1"}}],"facts":{"reservationId":"res-${i}","reservedUnits":0,"committedUnits":3,"releasedUnits":0,"requestedUnits":3}}`;
    case 'payment': {
      const captured = i % 1000 === 999 ? 0 : 5000;
      const capture = captured ? `,{"name":"CAPTURED","at":"${iso(i, 11)}","ref":"shp-${i}","amountMinor":5000,"currency":"EUR"}` : '';
      return `{"orderId":"${id}","status":"${captured ? 'CAPTURED' : 'AUTHORIZED'}","updatedAt":"${updatedAt}","milestones":[{"name":"AUTHORIZED","at":"${iso(i, 2)}","ref":"pay-${i}","amountMinor":5000,"currency":"EUR"}${capture}],"facts":{"paymentId":"pay-${i}","authorizedMinor":5000,"capturedMinor":${captured},"refundedMinor":0,"voidedMinor":0,"currency":"EUR"}}`;
    }
    case 'shipment':
      return `{"orderId":"${id}","status":"DELIVERED","updatedAt":"${updatedAt}","milestones":[{"name":"CREATED","at":"${iso(i, 3)}","ref":"shp-${i}","quantity":3,"detail":{"node":"BER-1"}},{"name":"DISPATCHED","at":"${iso(i, 10)}","ref":"shp-${i}","amountMinor":5000,"currency":"EUR","quantity":3,"detail":{"node":"BER-1"}},{"name":"DELIVERED","at":"${iso(i, 30)}","ref":"shp-${i}","quantity":3}],"facts":{"shipments":1,"dispatched":1,"delivered":1,"cancelled":0,"dispatchedValueMinor":5000,"currency":"EUR","cancellationRefused":false,"awaitingFacts":null}}`;
    case 'notification':
      return `{"orderId":"${id}","status":"DELIVERED","updatedAt":"${updatedAt}","milestones":[{"name":"CONFIRMED_SENT","at":"${iso(i, 2)}","ref":"n1-${i}","detail":{"channel":"email","attempts":1}},{"name":"DISPATCHED_SENT","at":"${iso(i, 10)}","ref":"n2-${i}","detail":{"channel":"email","attempts":1}},{"name":"DELIVERED_SENT","at":"${iso(i, 30)}","ref":"n3-${i}","detail":{"channel":"email","attempts":1}}],"facts":{"confirmed":true,"rejected":false,"dispatched":true,"delivered":true,"cancelled":false}}`;
  }
}

function page(service: (typeof SERVICES)[number], indexes: number[], nextCursor: string | null): string {
  return `{"service":"${service}-service","items":[${indexes.map((i) => item(service, i)).join(',')}],"nextCursor":${nextCursor === null ? 'null' : `"${nextCursor}"`}}`;
}

async function main() {
  const ports: Record<string, number> = {};
  for (const service of SERVICES) {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      const q = url.searchParams;
      response.setHeader('content-type', 'application/json');
      if (url.pathname === '/changed' && request.method === 'POST') {
        // Marks `count` orders spread over the range as changed now.
        const count = Number(q.get('count') ?? 1000);
        const now = new Date().toISOString();
        for (let k = 0; k < count; k++) changed.set(Math.floor((k * ORDERS) / count), now);
        return response.end('{}');
      }
      const limit = Math.min(1000, Number(q.get('limit') ?? 500));
      if (q.has('orderIds')) {
        const indexes = (q.get('orderIds') ?? '').split(',').map(indexOf).filter((i) => i >= 0 && i < ORDERS);
        return response.end(page(service, indexes, null));
      }
      if (q.has('afterOrderId')) {
        const after = q.get('afterOrderId') ?? '';
        const start = after === '' ? 0 : firstAfter(after);
        const end = Math.min(ORDERS, start + limit);
        const indexes = Array.from({ length: Math.max(0, end - start) }, (_, k) => start + k);
        return response.end(page(service, indexes, end < ORDERS ? orderIdOf(end - 1) : null));
      }
      if (q.has('updatedSince')) {
        const since = Date.parse(q.get('updatedSince') ?? '');
        const after = q.get('cursor') ? Number(q.get('cursor')) : -1;
        const hits = [...changed.entries()].filter(([i, at]) => Date.parse(at) >= since && i > after).map(([i]) => i).sort((a, b) => a - b);
        const indexes = hits.slice(0, limit);
        return response.end(page(service, indexes, hits.length > limit ? String(indexes[indexes.length - 1]) : null));
      }
      response.statusCode = 400;
      response.end('{"title":"bad request"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports[service] = (server.address() as AddressInfo).port;
  }
  process.stdout.write(`${JSON.stringify(ports)}\n`);
}

void main();
