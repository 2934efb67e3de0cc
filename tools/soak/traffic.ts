// The orders the soak drives, in the demo's mix, each with the final state its scenario implies.
import { randomUUID } from 'node:crypto';
import { HttpError, type ReplicaClient } from './client';

export type Scenario = 'happy' | 'out-of-stock' | 'declined' | 'cancel-before-dispatch';

/** What the oracle expects of an order once everything has settled. */
export const FINAL_STATUS: Record<Scenario, string> = {
  happy: 'DELIVERED',
  'out-of-stock': 'REJECTED',
  declined: 'REJECTED',
  'cancel-before-dispatch': 'CANCELLED',
};

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

export function pickScenario(random: () => number): Scenario {
  const r = random();
  if (r < 0.6) return 'happy';
  if (r < 0.7) return 'out-of-stock';
  if (r < 0.85) return 'declined';
  return 'cancel-before-dispatch';
}

function linesFor(scenario: Scenario, random: () => number, { items, scarce }: Catalog): Line[] {
  if (scenario === 'out-of-stock') return [{ sku: scarce.sku, quantity: 5, unitPriceMinor: scarce.unitPriceMinor }];
  const picks = items.filter(() => random() < 0.6);
  return (picks.length > 0 ? picks : items.slice(1, 2)).map((p) => ({ sku: p.sku, quantity: 1 + Math.floor(random() * 3), unitPriceMinor: p.unitPriceMinor }));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
    paymentToken: scenario === 'declined' ? 'tok_decline' : 'tok_ok',
    shippingAddress: { name: 'Soak Customer', line1: '1 Soak Street', city: 'Berlin', postalCode: '10115', country: 'DE' },
  }, { 'Idempotency-Key': randomUUID() });
  placed({ orderId: order.orderId, scenario, lines, totalMinor: order.totalMinor });
  if (scenario === 'cancel-before-dispatch') {
    await once(client.call('order', 'POST', `/orders/${order.orderId}/cancel`, { reason: 'customer changed their mind' }));
  }
  if (scenario !== 'happy') return;

  const deadline = Date.now() + 10 * 60_000;
  let shipments: Shipment[] = [];
  while (Date.now() < deadline) {
    shipments = await client.call<Shipment[]>('shipment', 'GET', `/shipments?orderId=${order.orderId}`);
    if (shipments.length > 0 && shipments.every((s) => s.status === 'CREATED')) break;
    await sleep(500);
  }
  for (const s of shipments) await once(client.call('shipment', 'POST', `/shipments/${s.shipmentId}/dispatch`));
  for (const s of shipments) await once(client.call('shipment', 'POST', `/shipments/${s.shipmentId}/deliver`));
}
