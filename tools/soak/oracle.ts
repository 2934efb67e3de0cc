// What must hold once the soak's orders have settled, checked through the services' REST and the broker.
import type { ReplicaClient } from './client';
import { soakKafka } from './kafka';
import { type Catalog, FINAL_STATUS, PLANNED_CASE, type PlayedOrder, SHIPS } from './traffic';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until every order shows the status its scenario implies; returns those that never did. */
export async function awaitFinalStates(client: ReplicaClient, orders: PlayedOrder[], timeoutMs: number): Promise<Map<string, string>> {
  const pending = new Map(orders.map((o) => [o.orderId, o]));
  const last = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const [orderId, order] of pending) {
      const { status } = await client.call<{ status: string }>('order', 'GET', `/orders/${orderId}`);
      last.set(orderId, status);
      if (status === FINAL_STATUS[order.scenario]) pending.delete(orderId);
    }
    if (pending.size > 0) await sleep(2000);
  }
  return new Map([...pending.keys()].map((id) => [id, last.get(id) ?? 'unknown']));
}

interface Milestones {
  items: Array<{ orderId: string; facts?: Record<string, unknown> }>;
}

/** The evidence beside an order that did not settle: each service's status for it (`GET /milestones`). */
async function whatEachServiceShows(client: ReplicaClient, orderId: string): Promise<string> {
  const shown: string[] = [];
  for (const app of ['inventory', 'payment', 'shipment', 'notification'] as const) {
    const { items } = await client.call<{ items: Array<{ status?: string }> }>(app, 'GET', `/milestones?orderIds=${orderId}`).catch(() => ({ items: [{ status: 'did not answer' }] }));
    shown.push(`${app} ${items.map((i) => i.status ?? '?').join('+') || 'knows nothing'}`);
  }
  return shown.join(', ');
}

/** Every check of the oracle but the reconciliation run; each violation a sentence. */
export async function checkEffects(client: ReplicaClient, orders: PlayedOrder[], stock: Catalog, stuck: Map<string, string>): Promise<string[]> {
  const violations: string[] = [];
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  for (const [orderId, status] of stuck) {
    const scenario = byId.get(orderId)?.scenario ?? 'happy';
    violations.push(`order ${orderId} (${scenario}) is ${status}, expected ${FINAL_STATUS[scenario]}; ${await whatEachServiceShows(client, orderId)}`);
  }

  // Stock conserved per SKU: on hand now = at the start − units of the orders shipped; nothing left reserved.
  for (const item of [...stock.items, stock.scarce]) {
    const initial = Object.values(item.nodes).reduce((a, b) => a + b, 0);
    const shipped = orders.filter((o) => SHIPS.has(o.scenario)).flatMap((o) => o.lines).filter((l) => l.sku === item.sku).reduce((a, l) => a + l.quantity, 0);
    const now = await client.call<{ onHand: number; reserved: number }>('inventory', 'GET', `/stock/${item.sku}`);
    if (now.onHand !== initial - shipped) violations.push(`stock of ${item.sku}: on hand ${now.onHand}, expected ${initial} − ${shipped} shipped = ${initial - shipped}`);
    if (now.reserved !== 0) violations.push(`stock of ${item.sku}: ${now.reserved} still reserved`);
  }

  for (let i = 0; i < orders.length; i += 100) {
    const slice = orders.slice(i, i + 100); // 100 ids keep the URL under Node's 16 KiB header limit
    const page = await client.call<Milestones>('payment', 'GET', `/milestones?orderIds=${slice.map((o) => o.orderId).join(',')}`);
    const facts = new Map(page.items.map((item) => [item.orderId, item.facts ?? {}]));
    for (const order of slice) {
      const f = facts.get(order.orderId) ?? {};
      const net = Number(f['capturedMinor'] ?? 0) - Number(f['refundedMinor'] ?? 0);
      const expected = order.scenario === 'happy' ? order.totalMinor : 0; // a cancellation after dispatch is refunded
      if (net !== expected) violations.push(`payment of ${order.orderId} (${order.scenario}): captured − refunded = ${net}, expected ${expected}`);
    }
  }

  for (const order of orders) {
    const { items } = await client.call<{ items: Array<{ kind: string; status: string }> }>('notification', 'GET', `/notifications?orderId=${order.orderId}&limit=500`);
    const kinds = new Map<string, number>();
    for (const n of items) kinds.set(n.kind, (kinds.get(n.kind) ?? 0) + 1);
    for (const [kind, count] of kinds) if (count > 1) violations.push(`order ${order.orderId}: ${count} "${kind}" notifications, expected one`);
    if (order.scenario === 'happy') {
      for (const kind of ['confirmed', 'dispatched', 'delivered']) if (!kinds.has(kind)) violations.push(`order ${order.orderId}: no "${kind}" notification`);
    }
  }
  return violations;
}

/** Messages on the dead-letter topic (the soak plans none). */
export async function deadLetters(topic: string): Promise<number> {
  const admin = soakKafka('soak-oracle').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export interface RunResult {
  status: string;
  ordersChecked: number;
  counts: { outcomes: Record<string, number> };
}

interface CasePage {
  items: Array<{ orderId: string; rule: string; status: string }>;
  nextCursor: string | null;
}

/** Open reconciliation cases against those the scenarios planned (one per cancellation after dispatch). */
export async function checkCases(client: ReplicaClient, orders: PlayedOrder[]): Promise<{ open: number; planned: number; violations: string[] }> {
  const planned = new Set(orders.flatMap((o) => (PLANNED_CASE[o.scenario] ? [`${o.orderId} ${PLANNED_CASE[o.scenario]}`] : [])));
  const open = new Set<string>();
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: CasePage = await client.call<CasePage>('reconciliation', 'GET', `/cases?status=open&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const c of page.items) open.add(`${c.orderId} ${c.rule}`);
    cursor = page.nextCursor;
  }
  const violations = [
    ...[...open].filter((c) => !planned.has(c)).map((c) => `unplanned open case: ${c}`),
    ...[...planned].filter((c) => !open.has(c)).map((c) => `planned case not open: ${c}`),
  ];
  return { open: open.size, planned: planned.size, violations };
}

/** Events the live replicas' inboxes found already applied (events_consumed_total{outcome="duplicate"}); a killed replica's count is lost. */
export async function duplicatesAbsorbed(urls: string[]): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
    for (const line of text.split('\n')) if (line.startsWith('events_consumed_total{') && line.includes('outcome="duplicate"')) total += Number(line.split(' ').at(-1)) || 0;
  }
  return total;
}

/** A reconciliation run (full by default) over the stack; resolves with it once finished. */
export async function fullRun(client: ReplicaClient, timeoutMs = 600_000, kind: 'full' | 'incremental' = 'full'): Promise<RunResult> {
  const { runId } = await client.call<{ runId: string }>('reconciliation', 'POST', '/runs', { kind });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await client.call<RunResult>('reconciliation', 'GET', `/runs/${runId}`);
    if (['completed', 'incomplete', 'failed'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`${kind} run ${runId} still ${run.status} after ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}
