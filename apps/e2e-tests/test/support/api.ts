import { randomUUID } from 'node:crypto';
import { type MilestonesPage, milestonesPageSchema, type OrderMilestones } from '@commerce/contracts';
import type { E2eService } from './e2e-stack';

/**
 * The services' public REST APIs, as a customer, a warehouse and an operator use them. Every
 * path the suite depends on is here, so an API change is one edit.
 */

export interface Response<T = unknown> {
  status: number;
  body: T;
}

export interface Line {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface Order {
  orderId: string;
  status: string;
  totalMinor: number;
  currency: string;
  milestones: Array<{ name: string; at: string; ref?: string; amountMinor?: number }>;
  /** What the order service heard, one entry per fact it kept. */
  timeline: Array<{ event: string; at: string; ref?: string; amountMinor?: number }>;
}

export interface Shipment {
  shipmentId: string;
  orderId: string;
  node: string;
  status: string;
  valueMinor: number;
  cancellationRefusedAt: string | null;
}

export interface Notification {
  notificationId: string;
  kind: string;
  status: 'SENT' | 'FAILED';
  attempts: number;
}

export interface Reservation {
  reservationId: string;
  status: string;
  heldUnits: number;
}

export class StackApi {
  /** `apiKey`: sent as X-Api-Key on every call (a key of the stack's `operator`, who may write). */
  constructor(
    private readonly urls: Record<E2eService, string>,
    private readonly apiKey: string,
  ) {}

  /** A request with the operator's key; `headers` may replace it (`x-api-key`). */
  async call<T = unknown>(service: E2eService, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response<T>> {
    const response = await fetch(this.urls[service] + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'x-api-key': this.apiKey, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: parseBody(await response.text()) as T };
  }

  /** Like `call`, but any status other than `expected` fails with the answer in the message. */
  async expect<T = unknown>(expected: number, service: E2eService, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const response = await this.call<T>(service, method, path, body, headers);
    if (response.status !== expected) {
      throw new Error(`${method} ${service}${path} answered ${response.status}, expected ${expected}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }

  // -- inventory ------------------------------------------------------------------------------

  setStock(sku: string, node: string, onHand: number): Promise<unknown> {
    return this.expect(200, 'inventory-service', 'PUT', `/stock/${encodeURIComponent(sku)}/${encodeURIComponent(node)}`, { onHand });
  }

  stock(sku: string): Promise<{ sku: string; onHand: number; reserved: number; available: number }> {
    return this.expect(200, 'inventory-service', 'GET', `/stock/${encodeURIComponent(sku)}`);
  }

  reservation(orderId: string): Promise<Reservation> {
    return this.expect(200, 'inventory-service', 'GET', `/reservations/${orderId}`);
  }

  // -- orders ---------------------------------------------------------------------------------

  /** `headers` adds to the request's (a `traceparent` to start the order's trace with a known id). */
  placeOrder(lines: Line[], paymentToken = 'tok_ok', headers: Record<string, string> = {}): Promise<Order> {
    return this.expect(201, 'order-service', 'POST', '/orders', {
      customerId: 'cus_e2e',
      currency: 'EUR',
      lines,
      paymentToken,
      shippingAddress: { name: 'Ada Lovelace', line1: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'DE' },
    }, { 'idempotency-key': randomUUID(), ...headers });
  }

  order(orderId: string): Promise<Order> {
    return this.expect(200, 'order-service', 'GET', `/orders/${orderId}`);
  }

  cancelOrder(orderId: string, reason = 'changed my mind'): Promise<Order> {
    return this.expect(202, 'order-service', 'POST', `/orders/${orderId}/cancel`, { reason });
  }

  // -- shipments (the warehouse) --------------------------------------------------------------

  shipments(orderId: string): Promise<Shipment[]> {
    return this.expect(200, 'shipment-service', 'GET', `/shipments?orderId=${encodeURIComponent(orderId)}`);
  }

  dispatch(shipmentId: string): Promise<Shipment> {
    return this.expect(200, 'shipment-service', 'POST', `/shipments/${shipmentId}/dispatch`);
  }

  deliver(shipmentId: string): Promise<Shipment> {
    return this.expect(200, 'shipment-service', 'POST', `/shipments/${shipmentId}/deliver`);
  }

  // -- what each service says (the reconciliation contract, and its metrics) -----------------

  /** One sample of a Prometheus counter from the service's GET /metrics (0 when absent). */
  async metric(service: E2eService, name: string, labels: Record<string, string>): Promise<number> {
    const text = await this.expect<string>(200, service, 'GET', '/metrics');
    const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }

  /** The service's milestones for one order (undefined if it does not know the order), checked against the contract. */
  async milestones(service: E2eService, orderId: string): Promise<OrderMilestones | undefined> {
    return (await this.milestonesOf(service, [orderId])).get(orderId);
  }

  /** The service's milestones for these orders (at most 1000), by orderId; unknown orders are absent. */
  async milestonesOf(service: E2eService, orderIds: string[]): Promise<Map<string, OrderMilestones>> {
    const body = await this.expect<MilestonesPage>(200, service, 'GET', `/milestones?orderIds=${orderIds.map(encodeURIComponent).join(',')}`);
    const page = milestonesPageSchema.parse(body);
    return new Map(page.items.map((item) => [item.orderId, item]));
  }

  /**
   * The payment's summary for the order from its /milestones: status (AUTHORIZED, CAPTURED,
   * VOIDED, DECLINED, REFUNDED...) and facts such as `capturedMinor`.
   */
  async payment(orderId: string) {
    const item = await this.milestones('payment-service', orderId);
    return { status: item?.status, facts: item?.facts ?? {}, milestones: item?.milestones ?? [] };
  }

  /** The customer's notifications about the order (GET /notifications?orderId=). */
  async notifications(orderId: string): Promise<Notification[]> {
    const page = await this.expect<{ items: Notification[] }>(200, 'notification-service', 'GET', `/notifications?orderId=${encodeURIComponent(orderId)}&limit=500`);
    return page.items;
  }

  /**
   * How many times the customer was told each kind of news: a SENT notification counts its
   * delivery attempts (each attempt is a send on the channel; a failed one is retried, not sent).
   * Cross-checked with the notification service's /milestones (`<KIND>_SENT`, one per notification).
   */
  async notificationCounts(orderId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const n of await this.notifications(orderId)) {
      if (n.status === 'SENT') counts[n.kind] = (counts[n.kind] ?? 0) + n.attempts;
    }
    const item = await this.milestones('notification-service', orderId);
    const sentMilestones = (item?.milestones ?? []).filter((m) => m.name.endsWith('_SENT'));
    const sentRecords = Object.keys(counts).length;
    if (sentMilestones.length !== sentRecords) {
      throw new Error(`notification-service: ${sentRecords} SENT notifications over REST but ${sentMilestones.length} *_SENT milestones`);
    }
    return counts;
  }
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // not JSON (these APIs always answer JSON): keep the raw text for the failure message
  }
}
