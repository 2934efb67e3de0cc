/**
 * What became of a step's orders, read from the order service's own database once the step is
 * over: no consumer, no polling of the REST API while orders are in flight, so the bench adds no
 * load of its own to what it measures.
 */
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Orders of these ids not DELIVERED yet. */
async function notDelivered(orderDb: Client, orderIds: readonly string[]): Promise<number> {
  const { rows } = await orderDb.query<{ n: string }>(
    `SELECT count(*) AS n FROM customer_order WHERE id = ANY($1::uuid[]) AND status <> 'DELIVERED'`,
    [orderIds],
  );
  return Number(rows[0].n) + (orderIds.length - (await countOrders(orderDb, orderIds)));
}

async function countOrders(orderDb: Client, orderIds: readonly string[]): Promise<number> {
  const { rows } = await orderDb.query<{ n: string }>(`SELECT count(*) AS n FROM customer_order WHERE id = ANY($1::uuid[])`, [orderIds]);
  return Number(rows[0].n);
}

/**
 * Waits (one count a second) until every order is DELIVERED or `timeoutMs` passed; resolves to
 * the number still not delivered.
 */
export async function waitForDelivery(orderDb: Client, orderIds: readonly string[], timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let open = await notDelivered(orderDb, orderIds);
  while (open > 0 && performance.now() < deadline) {
    await sleep(1000);
    open = await notDelivered(orderDb, orderIds);
  }
  return open;
}

export interface StepLatencies {
  /** placed (the bench's POST) -> the order service recorded PaymentAuthorized (CONFIRMED), ms. */
  confirmed: number[];
  /** placed -> the order service recorded ShipmentDelivered, less the warehouse's two waits, ms. */
  delivered: number[];
  /** placed (the bench's POST) -> the order service's placed_at: how long requests waited to be taken, ms. */
  accepted: number[];
  unconfirmed: number;
  undelivered: number;
}

/**
 * Each order's CONFIRMED and DELIVERED moments as the order service recorded them (the facts'
 * received_at, on the database server's clock: this host's, like the bench's send times).
 */
export async function readLatencies(orderDb: Client, sentAt: ReadonlyMap<string, number>, warehouseWaitMs: number): Promise<StepLatencies> {
  const { rows } = await orderDb.query<{ id: string; placed_ms: string; confirmed_ms: string | null; delivered_ms: string | null }>(
    `SELECT o.id, extract(epoch FROM o.placed_at) * 1000 AS placed_ms,
            (SELECT extract(epoch FROM min(f.received_at)) * 1000 FROM order_fact f
              WHERE f.order_id = o.id AND f.event_type = 'PaymentAuthorized') AS confirmed_ms,
            (SELECT extract(epoch FROM max(f.received_at)) * 1000 FROM order_fact f
              WHERE f.order_id = o.id AND f.event_type = 'ShipmentDelivered') AS delivered_ms
       FROM customer_order o WHERE o.id = ANY($1::uuid[])`,
    [[...sentAt.keys()]],
  );
  const out: StepLatencies = { confirmed: [], delivered: [], accepted: [], unconfirmed: sentAt.size, undelivered: sentAt.size };
  for (const row of rows) {
    const sent = sentAt.get(row.id);
    if (sent === undefined) continue;
    out.accepted.push(Number(row.placed_ms) - sent);
    if (row.confirmed_ms !== null) {
      out.confirmed.push(Number(row.confirmed_ms) - sent);
      out.unconfirmed--;
    }
    if (row.delivered_ms !== null) {
      out.delivered.push(Number(row.delivered_ms) - sent - warehouseWaitMs);
      out.undelivered--;
    }
  }
  return out;
}
