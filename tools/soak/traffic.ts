// The orders the soak drives, in the demo's mix, each with the final state its scenario implies.
import { randomUUID } from 'node:crypto';
import { type App, HttpError, type ReplicaClient } from './client';

export type Scenario = 'happy' | 'out-of-stock' | 'declined' | 'gateway-timeout' | 'cancel-before-dispatch' | 'cancel-after-dispatch';

/** What the oracle expects of an order once everything has settled. */
export const FINAL_STATUS: Record<Scenario, string> = {
  happy: 'DELIVERED',
  'out-of-stock': 'REJECTED',
  declined: 'REJECTED',
  // tok_timeout: the gateway never answers; payment retries, then declines.
  'gateway-timeout': 'REJECTED',
  'cancel-before-dispatch': 'CANCELLED',
  // Shipment refuses to cancel a dispatched parcel: the order keeps its status, payment gives the money back.
  'cancel-after-dispatch': 'SHIPPED',
};

/** Scenarios whose goods leave the warehouse (stock is committed). */
export const SHIPS: ReadonlySet<Scenario> = new Set(['happy', 'cancel-after-dispatch']);

/** The reconciliation cases a scenario opens by design: a dispatched order cancelled needs a person. */
export const PLANNED_CASE: Partial<Record<Scenario, string>> = { 'cancel-after-dispatch': 'cancelled-but-dispatched' };

export interface Line {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface PlayedOrder {
  orderId: string;
  scenario: Scenario;
  lines: Line[];
  totalMinor: number;
}

/** Stock per SKU and node at the start; the scarce SKU makes the out-of-stock orders. */
export function catalog(runId: string) {
  const sku = (name: string) => `SOAK-${runId}-${name}`.toUpperCase();
  return {
    items: [
      { sku: sku('kettle'), unitPriceMinor: 3999, nodes: { 'berlin-1': 50_000, 'lyon-1': 50_000 } },
      { sku: sku('mug'), unitPriceMinor: 899, nodes: { 'berlin-1': 100_000 } },
      { sku: sku('teapot'), unitPriceMinor: 5499, nodes: { 'lyon-1': 50_000 } },
    ],
    scarce: { sku: sku('rare-vinyl'), unitPriceMinor: 12999, nodes: { 'berlin-1': 3 } },
  };
}
export type Catalog = ReturnType<typeof catalog>;

/** Deterministic pseudo-random numbers (mulberry32), so two soaks with one seed play the same orders. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo's mix (tools/demo), with gateway timeouts taken from the declines. */
export function pickScenario(random: () => number): Scenario {
  const r = random();
  if (r < 0.55) return 'happy';
  if (r < 0.65) return 'out-of-stock';
  if (r < 0.75) return 'declined';
  if (r < 0.78) return 'gateway-timeout';
  if (r < 0.9) return 'cancel-before-dispatch';
  return 'cancel-after-dispatch';
}

function linesFor(scenario: Scenario, random: () => number, { items, scarce }: Catalog): Line[] {
  if (scenario === 'out-of-stock') return [{ sku: scarce.sku, quantity: 5, unitPriceMinor: scarce.unitPriceMinor }];
  const picks = items.filter(() => random() < 0.6);
  return (picks.length > 0 ? picks : items.slice(1, 2)).map((p) => ({ sku: p.sku, quantity: 1 + Math.floor(random() * 3), unitPriceMinor: p.unitPriceMinor }));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The simulated gateway's test tokens (payment-service's TEST_TOKENS); tok_ok for the rest. */
const TOKENS: Partial<Record<Scenario, string>> = { declined: 'tok_decline', 'gateway-timeout': 'tok_timeout' };

/**
 * Waits (up to `ms`) until `check` answers something other than undefined, polling less often the
 * longer it waits: hundreds of orders waiting for a lagging consumer would otherwise poll the very
 * service that is behind, and the harness would be the overload it is meant to observe.
 */
async function until<T>(check: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (let pause = 500; ; pause = Math.min(pause * 1.5, 5000)) {
    const value = await check();
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(pause);
  }
}

/** A warehouse action that a replica may have done already before its answer was lost: 409 is done. */
async function once(action: Promise<unknown>): Promise<void> {
  try {
    await action;
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 409)) throw error;
  }
}

interface Shipment {
  shipmentId: string;
  status: string;
}

/** The status each service shows once it has heard of the dispatch of every shipment of an order. */
const DISPATCH_SEEN: ReadonlyArray<readonly [App, string]> = [['order', 'SHIPPED'], ['payment', 'CAPTURED'], ['inventory', 'COMMITTED']];

async function milestoneStatus(client: ReplicaClient, app: App, orderId: string): Promise<string | undefined> {
  const { items } = await client.call<{ items: Array<{ status: string }> }>(app, 'GET', `/milestones?orderIds=${orderId}`);
  return items[0]?.status;
}

/**
 * Places one order and plays its scenario through REST (the warehouse dispatches and delivers happy
 * ones); `placed` hears of the order as soon as it exists, so the oracle checks it even if a later step fails.
 */
export async function playOrder(client: ReplicaClient, scenario: Scenario, random: () => number, stock: Catalog, placed: (order: PlayedOrder) => void): Promise<void> {
  const lines = linesFor(scenario, random, stock);
  const order = await client.call<{ orderId: string; totalMinor: number }>('order', 'POST', '/orders', {
    customerId: `cust-${Math.floor(random() * 500)}`,
    currency: 'EUR',
    lines,
    paymentToken: TOKENS[scenario] ?? 'tok_ok',
    shippingAddress: { name: 'Soak Customer', line1: '1 Soak Street', city: 'Berlin', postalCode: '10115', country: 'DE' },
  }, { 'Idempotency-Key': randomUUID() });
  placed({ orderId: order.orderId, scenario, lines, totalMinor: order.totalMinor });
  if (scenario === 'cancel-before-dispatch') {
    await once(client.call('order', 'POST', `/orders/${order.orderId}/cancel`, { reason: 'customer changed their mind' }));
  }
  if (!SHIPS.has(scenario)) return;

  const created = (list: Shipment[]) => (list.length > 0 && list.every((s) => s.status === 'CREATED') ? list : undefined);
  const shipments = await until(async () => created(await client.call<Shipment[]>('shipment', 'GET', `/shipments?orderId=${order.orderId}`)), 10 * 60_000);
  // Reported, not played on: a cancellation "after dispatch" without a dispatch would be another scenario.
  if (!shipments) throw new Error(`order ${order.orderId} (${scenario}): no shipment CREATED within 10 min`);
  for (const s of shipments) await once(client.call('shipment', 'POST', `/shipments/${s.shipmentId}/dispatch`));
  if (scenario === 'cancel-after-dispatch') {
    // Cancelled once the order shows SHIPPED, the payment is captured and inventory has committed the
    // goods: a cancellation one of them had not yet seen the dispatch for would be another scenario
    // (the order cancelled outright, the authorisation voided, the units released), and the oracle's
    // expectations would depend on which consumer was behind.
    const settled = await until(async () => {
      for (const [app, status] of DISPATCH_SEEN) if ((await milestoneStatus(client, app, order.orderId)) !== status) return undefined;
      return true;
    }, 10 * 60_000);
    if (!settled) throw new Error(`order ${order.orderId} (${scenario}): the dispatch was not seen by order, payment and inventory within 10 min; not cancelled`);
    await once(client.call('order', 'POST', `/orders/${order.orderId}/cancel`, { reason: 'arrived too late' }));
    return;
  }
  for (const s of shipments) await once(client.call('shipment', 'POST', `/shipments/${s.shipmentId}/deliver`));
}
