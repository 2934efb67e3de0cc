import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Milestone, OrderMilestones } from '@commerce/contracts';

/**
 * Five small real HTTP servers answering `GET /milestones` like the five services would, with a
 * handful of orders on which they disagree (and some on which they agree), so the reconciliation
 * service finds real cases for the dashboard to show.
 */

export const SOURCE_SERVICES = ['order', 'inventory', 'payment', 'shipment', 'notification'] as const;
export type SourceService = (typeof SOURCE_SERVICES)[number];
export type Records = Record<SourceService, OrderMilestones[]>;

/** An ISO instant `minutes` before `now`. */
const before = (now: number, minutes: number) => new Date(now - minutes * 60_000).toISOString();

function record(orderId: string, status: string, milestones: Milestone[], facts: OrderMilestones['facts']): OrderMilestones {
  const sorted = [...milestones].sort((a, b) => a.at.localeCompare(b.at));
  return { orderId, status, updatedAt: sorted.at(-1)?.at ?? new Date().toISOString(), milestones: sorted, facts };
}

export interface Scenario {
  orderId: string;
  /** The rule the reconciliation service should open a case for (none for a consistent order). */
  rule: string | null;
  what: string;
}

/**
 * The orders: `tag` keeps them apart from other runs' orders. Times lie hours back, so every
 * grace period has passed and each divergence is a mismatch at once.
 */
export function divergentOrders(tag: string, now = Date.now()): { records: Records; scenarios: Scenario[] } {
  const t = (minutes: number) => before(now, 240 - minutes);
  const records: Records = { order: [], inventory: [], payment: [], shipment: [], notification: [] };
  const scenarios: Scenario[] = [];
  const id = (what: string) => `ord-${tag}-${what}-${randomUUID().slice(0, 8)}`;

  const delivered = (orderId: string, options: { capturedMinor?: number; notified?: string[] } = {}) => {
    const captured = options.capturedMinor ?? 5000;
    records.order.push(
      record(
        orderId,
        'DELIVERED',
        [
          { name: 'PLACED', at: t(0), ref: orderId, amountMinor: 5000, currency: 'EUR', quantity: 3 },
          { name: 'CONFIRMED', at: t(2), amountMinor: 5000, currency: 'EUR' },
          { name: 'SHIPPED', at: t(20), quantity: 3 },
          { name: 'DELIVERED', at: t(60), quantity: 3 },
        ],
        { totalMinor: 5000, currency: 'EUR', units: 3, cancellationRequested: false },
      ),
    );
    records.inventory.push(
      record(
        orderId,
        'COMMITTED',
        [
          { name: 'RESERVED', at: t(1), ref: `res-${orderId}`, quantity: 3 },
          { name: 'COMMITTED', at: t(20), ref: `shp-${orderId}`, quantity: 3 },
        ],
        { reservationId: `res-${orderId}`, reservedUnits: 0, committedUnits: 3, releasedUnits: 0, requestedUnits: 3 },
      ),
    );
    records.payment.push(
      record(
        orderId,
        'CAPTURED',
        [
          { name: 'AUTHORIZED', at: t(2), ref: `pay-${orderId}`, amountMinor: 5000, currency: 'EUR' },
          { name: 'CAPTURED', at: t(21), ref: `shp-${orderId}`, amountMinor: captured, currency: 'EUR' },
        ],
        { paymentId: `pay-${orderId}`, authorizedMinor: 5000, capturedMinor: captured, refundedMinor: 0, voidedMinor: 0, currency: 'EUR' },
      ),
    );
    records.shipment.push(
      record(
        orderId,
        'DELIVERED',
        [
          { name: 'CREATED', at: t(3), ref: `shp-${orderId}`, quantity: 3 },
          { name: 'DISPATCHED', at: t(20), ref: `shp-${orderId}`, amountMinor: 5000, currency: 'EUR', quantity: 3 },
          { name: 'DELIVERED', at: t(60), ref: `shp-${orderId}`, quantity: 3 },
        ],
        { shipments: 1, dispatched: 1, delivered: 1, cancelled: 0, dispatchedValueMinor: 5000, currency: 'EUR' },
      ),
    );
    const notified = options.notified ?? ['confirmed', 'dispatched', 'delivered'];
    const sentAt: Record<string, number> = { confirmed: 2, dispatched: 20, delivered: 60 };
    records.notification.push(
      record(
        orderId,
        'SENT',
        notified.map((kind) => ({ name: kind.toUpperCase(), at: t((sentAt[kind] ?? 0) + 0.5), ref: `ntf-${kind}`, detail: { kind, channel: 'email', status: 'SENT' } })),
        { sent: notified.length, failed: 0 },
      ),
    );
  };

  for (let i = 0; i < 4; i++) {
    const orderId = id('ok');
    delivered(orderId);
    scenarios.push({ orderId, rule: null, what: 'delivered, every service agrees' });
  }

  const short = id('short-capture');
  delivered(short, { capturedMinor: 4200 });
  scenarios.push({ orderId: short, rule: 'amount-mismatch', what: 'captured €42.00 for €50.00 dispatched' });

  const silent = id('no-delivery-mail');
  delivered(silent, { notified: ['confirmed', 'dispatched'] });
  scenarios.push({ orderId: silent, rule: 'missing-notification', what: 'delivered, never told the customer' });

  const stuck = id('stuck');
  records.order.push(record(stuck, 'PLACED', [{ name: 'PLACED', at: t(0), ref: stuck, amountMinor: 2500, currency: 'EUR', quantity: 1 }], { totalMinor: 2500, currency: 'EUR', units: 1, cancellationRequested: false }));
  scenarios.push({ orderId: stuck, rule: 'stuck-at-inventory', what: 'placed; inventory never heard of it' });

  const recalled = id('cancelled-shipped');
  records.order.push(
    record(
      recalled,
      'CANCELLED',
      [
        { name: 'PLACED', at: t(0), ref: recalled, amountMinor: 5000, currency: 'EUR', quantity: 3 },
        { name: 'CONFIRMED', at: t(2), amountMinor: 5000, currency: 'EUR' },
        { name: 'CANCELLATION_REQUESTED', at: t(15), detail: { reason: 'changed mind' } },
        { name: 'CANCELLED', at: t(16) },
      ],
      { totalMinor: 5000, currency: 'EUR', units: 3, cancellationRequested: true },
    ),
  );
  records.inventory.push(
    record(
      recalled,
      'COMMITTED',
      [
        { name: 'RESERVED', at: t(1), ref: `res-${recalled}`, quantity: 3 },
        { name: 'COMMITTED', at: t(14), ref: `shp-${recalled}`, quantity: 3 },
      ],
      { reservationId: `res-${recalled}`, reservedUnits: 0, committedUnits: 3, releasedUnits: 0, requestedUnits: 3 },
    ),
  );
  records.payment.push(
    record(
      recalled,
      'REFUNDED',
      [
        { name: 'AUTHORIZED', at: t(2), ref: `pay-${recalled}`, amountMinor: 5000, currency: 'EUR' },
        { name: 'CAPTURED', at: t(14.5), ref: `shp-${recalled}`, amountMinor: 5000, currency: 'EUR' },
        { name: 'REFUNDED', at: t(16), ref: 'rfd-1', amountMinor: 5000, currency: 'EUR' },
      ],
      { paymentId: `pay-${recalled}`, authorizedMinor: 5000, capturedMinor: 5000, refundedMinor: 5000, voidedMinor: 0, currency: 'EUR' },
    ),
  );
  records.shipment.push(
    record(
      recalled,
      'DISPATCHED',
      [
        { name: 'CREATED', at: t(3), ref: `shp-${recalled}`, quantity: 3 },
        { name: 'DISPATCHED', at: t(14), ref: `shp-${recalled}`, amountMinor: 5000, currency: 'EUR', quantity: 3 },
      ],
      { shipments: 1, dispatched: 1, delivered: 0, cancelled: 0, dispatchedValueMinor: 5000, currency: 'EUR' },
    ),
  );
  records.notification.push(
    record(
      recalled,
      'SENT',
      ['confirmed', 'cancelled'].map((kind, i) => ({ name: kind.toUpperCase(), at: t(i ? 16.5 : 2.5), ref: `ntf-${kind}`, detail: { kind, channel: 'email', status: 'SENT' } })),
      { sent: 2, failed: 0 },
    ),
  );
  scenarios.push({ orderId: recalled, rule: 'cancelled-but-dispatched', what: 'cancelled after the parcel left' });

  const declined = id('declined-held');
  records.order.push(
    record(
      declined,
      'REJECTED',
      [
        { name: 'PLACED', at: t(0), ref: declined, amountMinor: 9900, currency: 'EUR', quantity: 2 },
        { name: 'REJECTED', at: t(2), detail: { by: 'payment' } },
      ],
      { totalMinor: 9900, currency: 'EUR', units: 2, cancellationRequested: false },
    ),
  );
  records.inventory.push(record(declined, 'RESERVED', [{ name: 'RESERVED', at: t(1), ref: `res-${declined}`, quantity: 2 }], { reservationId: `res-${declined}`, reservedUnits: 2, committedUnits: 0, releasedUnits: 0, requestedUnits: 2 }));
  records.payment.push(record(declined, 'DECLINED', [{ name: 'DECLINED', at: t(2), ref: `pay-${declined}`, detail: { reason: 'card declined' } }], { paymentId: `pay-${declined}`, authorizedMinor: 0, capturedMinor: 0, refundedMinor: 0, voidedMinor: 0, currency: 'EUR' }));
  records.notification.push(record(declined, 'SENT', [{ name: 'REJECTED', at: t(2.5), ref: 'ntf-rejected', detail: { kind: 'rejected', channel: 'email', status: 'SENT' } }], { sent: 1, failed: 0 }));
  scenarios.push({ orderId: declined, rule: 'declined-still-reserved', what: 'payment declined, stock still held' });

  const orphan = id('orphan');
  records.payment.push(record(orphan, 'DECLINED', [{ name: 'DECLINED', at: t(5), ref: `pay-${orphan}`, detail: { reason: 'card declined' } }], { paymentId: `pay-${orphan}`, authorizedMinor: 0, capturedMinor: 0, refundedMinor: 0, voidedMinor: 0, currency: 'EUR' }));
  scenarios.push({ orderId: orphan, rule: 'orphan-record', what: 'a payment for an order nobody placed' });

  return { records, scenarios };
}

export interface MilestoneSources {
  /** Base URL per service (`order` → http://127.0.0.1:port). */
  urls: Record<SourceService, string>;
  /** Every request the servers answered, e.g. to wait for a run to have read them. */
  requests: string[];
  /** The pending dead letters each service's `GET /dead-letters` lists (a replay takes one off). */
  deadLetters: Record<SourceService, Array<{ id: string; eventType: string; orderId: string; reason: string; failedAt: string }>>;
  close(): Promise<void>;
}

/** One server per service, answering the three query modes of the milestones contract. */
export async function startMilestoneSources(records: Records): Promise<MilestoneSources> {
  const requests: string[] = [];
  const deadLetters = Object.fromEntries(SOURCE_SERVICES.map((service) => [service, []])) as unknown as MilestoneSources['deadLetters'];
  const servers: Array<[SourceService, Server]> = SOURCE_SERVICES.map((service) => [
    service,
    createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://source.invalid');
      requests.push(`${service} ${url.pathname}${url.search}`);
      if (url.pathname === '/health') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      // The messaging lib's routes the order explorer and the pipes page ask: nothing pending, the dead letters set here.
      const replay = /^\/dead-letters\/([^/]+)\/replay$/.exec(url.pathname);
      if (replay && request.method === 'POST') {
        deadLetters[service] = deadLetters[service].filter((letter) => letter.id !== replay[1]);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: replay[1], outcome: 'applied' }));
        return;
      }
      if (url.pathname === '/outbox/pending' || url.pathname === '/dead-letters') {
        const orderId = url.searchParams.get('orderId');
        const letters = deadLetters[service].filter((letter) => orderId === null || letter.orderId === orderId);
        const relayLock = { application: `outbox-relay test-host:${4200 + SOURCE_SERVICES.indexOf(service)}`, backendPid: 77, clientAddress: '127.0.0.1', connectedSince: new Date().toISOString() };
        const body = url.pathname === '/dead-letters' ? letters : { count: 0, oldestCreatedAt: null, items: orderId === null ? undefined : [], lastPublishedAt: null, relayLock: orderId === null ? relayLock : undefined };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        return;
      }
      if (url.pathname !== '/milestones') {
        response.writeHead(404).end();
        return;
      }
      const page = answer(records[service], url.searchParams);
      if (!page) {
        response.writeHead(400, { 'content-type': 'application/problem+json' }).end('{"title":"orderIds, updatedSince or afterOrderId is required","status":400}');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service: `${service}-service`, ...page }));
    }),
  ]);
  const urls = {} as Record<SourceService, string>;
  for (const [service, server] of servers) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    urls[service] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    urls,
    requests,
    get deadLetters() {
      return deadLetters;
    },
    close: async () => {
      await Promise.all(servers.map(([, server]) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

function answer(items: OrderMilestones[], params: URLSearchParams): { items: OrderMilestones[]; nextCursor: string | null } | null {
  // The contract's largest pages: 5000 in orderId order, 1000 otherwise.
  const limit = Math.min(params.has('afterOrderId') ? 5000 : 1000, Number(params.get('limit') ?? 500) || 500);
  const orderIds = params.get('orderIds');
  if (orderIds !== null) {
    const wanted = new Set(orderIds.split(','));
    return { items: items.filter((item) => wanted.has(item.orderId)), nextCursor: null };
  }
  if (params.has('afterOrderId')) {
    const after = params.get('afterOrderId') ?? '';
    const page = items
      .filter((item) => item.orderId > after)
      .sort((a, b) => a.orderId.localeCompare(b.orderId))
      .slice(0, limit);
    return { items: page, nextCursor: page.length === limit ? (page.at(-1)?.orderId ?? null) : null };
  }
  const since = params.get('updatedSince');
  if (since !== null) {
    const offset = Number(params.get('cursor') ?? 0) || 0;
    const changed = items
      .filter((item) => item.updatedAt >= since)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.orderId.localeCompare(b.orderId));
    const page = changed.slice(offset, offset + limit);
    return { items: page, nextCursor: offset + limit < changed.length ? String(offset + limit) : null };
  }
  return null;
}
