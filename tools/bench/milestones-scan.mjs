// npm run bench:milestones-scan — how long one service's full GET /milestones?afterOrderId= scan
// takes (what the reconciliation service's full scan reads from each of the five), on a database
// seeded with BENCH_ORDERS orders (default 1,000,000). Prints figures; asserts nothing.
//
//   BENCH_SERVICES (default all five)  comma-separated short names: order,inventory,...
//   BENCH_ORDERS (1000000)             orders seeded per service
//   BENCH_KEEP=1                       keep the seeded database(s) for a look afterwards
//   BENCH_PAGE (1000)                  limit per request (the reconciliation client's page size)
//
// Each service runs as its own process (tools/stack) on a fresh database and topics of its own,
// both removed afterwards (the database kept with BENCH_KEEP=1).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
// The stack runner and provisioning are TypeScript: `npm run bench:milestones-scan` preloads @swc-node/register.
const { startStack } = require('@commerce/stack');
const { DATABASE_URL: SERVER_URL, deleteTopics } = require('@commerce/provisioning');
const { databaseUrlFor } = require('@commerce/platform');

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const PAGE = Number(process.env.BENCH_PAGE ?? 1000);
const SERVICES = (process.env.BENCH_SERVICES ?? 'order,inventory,payment,shipment,notification').split(',');

/** Rows as the services write them, in bulk: each per-order table with its child rows. */
const SEED = {
  order: [
    `INSERT INTO customer_order (id, customer_id, currency, lines, total_minor, units, payment_token, shipping_address, status,
       correlation_id, idempotency_key, request_fingerprint, placed_at, updated_at)
     SELECT gen_random_uuid(), 'cus_' || g, 'EUR',
       '[{"sku":"SKU-MUG-RED","quantity":2,"unitPriceMinor":1250},{"sku":"SKU-TEE-BLUE","quantity":1,"unitPriceMinor":2500}]',
       5000, 3, 'tok_ok', '{"name":"Ada Lovelace","line1":"Torstraße 1","city":"Berlin","postalCode":"10119","country":"DE"}',
       'CONFIRMED', gen_random_uuid()::text, 'key_' || g, 'fingerprint', now() - interval '1 day', now()
     FROM generate_series(1, $1) g`,
    `INSERT INTO order_fact (order_id, event_type, ref, event_id, occurred_at, amount_minor, currency)
     SELECT id, fact, 'ref_' || fact, gen_random_uuid(), now(), 5000, 'EUR'
     FROM customer_order, unnest(ARRAY['InventoryReserved', 'PaymentAuthorized']) fact`,
  ],
  inventory: [
    `INSERT INTO reservation (reservation_id, order_id, status, total_minor, currency, requested_units, created_at, updated_at)
     SELECT gen_random_uuid(), 'ord-' || gen_random_uuid(), 'PARTIALLY_COMMITTED', 5000, 'EUR', 3, now(), now()
     FROM generate_series(1, $1)`,
    `INSERT INTO reservation_line (reservation_id, line_no, sku, node, quantity, committed_quantity)
     SELECT reservation_id, n, 'SKU-' || n, 'wh-' || n, n, CASE WHEN n = 1 THEN 1 ELSE 0 END FROM reservation, generate_series(1, 2) n`,
    `INSERT INTO reservation_commit (reservation_id, shipment_id, node, lines, units)
     SELECT reservation_id, 'shp_' || reservation_id, 'wh-1', '[{"sku":"SKU-1","quantity":1}]', 1 FROM reservation`,
  ],
  payment: [
    `INSERT INTO payment (payment_id, order_id, status, currency, payment_token, order_total_minor, amount_to_authorize_minor,
       authorized_minor, captured_minor, authorized_at, created_at, updated_at)
     SELECT gen_random_uuid(), 'ord-' || gen_random_uuid(), 'PARTIALLY_CAPTURED', 'EUR', 'tok_ok', 5000, 5000, 5000, 2500, now(), now(), now()
     FROM generate_series(1, $1)`,
    `INSERT INTO payment_capture (payment_id, shipment_id, amount_minor, currency)
     SELECT payment_id, 'shp_' || payment_id, 2500, 'EUR' FROM payment`,
  ],
  shipment: [
    `INSERT INTO order_facts (order_id, currency, order_placed_at, inventory_reserved_at, payment_authorized_at, shipments_created_at, updated_at)
     SELECT 'ord-' || gen_random_uuid(), 'EUR', now(), now(), now(), now(), now() FROM generate_series(1, $1)`,
    `INSERT INTO shipment (id, order_id, node, status, lines, value_minor, currency, shipping_address, dispatched_at)
     SELECT 'shp_' || gen_random_uuid(), order_id, node, CASE WHEN node = 'wh-berlin' THEN 'DISPATCHED' ELSE 'CREATED' END,
       '[{"sku":"SKU-MUG-RED","quantity":2,"unitPriceMinor":1250}]', 2500, 'EUR', '{"name":"Ada Lovelace","city":"Berlin"}',
       CASE WHEN node = 'wh-berlin' THEN now() END
     FROM order_facts, unnest(ARRAY['wh-berlin', 'wh-hamburg']) node`,
  ],
  notification: [
    `INSERT INTO notified_order (order_id, updated_at) SELECT 'ord-' || gen_random_uuid(), now() FROM generate_series(1, $1)`,
    `INSERT INTO notification (id, order_id, kind, channel, status, attempts, correlation_id, caused_by, cause_event_id, sent_at)
     SELECT gen_random_uuid(), order_id, kind, 'email', 'SENT', 1, order_id, 'PaymentAuthorized', gen_random_uuid(), now()
     FROM notified_order, unnest(ARRAY['confirmed', 'dispatched']) kind`,
  ],
};

async function withClient(url, use) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function bench(service) {
  const database = `bench_scan_${service}_${randomUUID().slice(0, 8)}`;
  const prefix = `bench_${randomUUID().slice(0, 8)}.`;
  await withClient(SERVER_URL, (client) => client.query(`CREATE DATABASE "${database}"`));
  let stack;
  try {
    stack = await startStack({
      services: [service],
      topicPrefix: prefix,
      createTopics: true,
      databases: { [service]: database },
      createDatabases: false,
      ports: { [service]: 0 },
      logLevel: 'warn',
      silent: true,
    });
    const seedStarted = Date.now();
    await withClient(databaseUrlFor(SERVER_URL, database), async (client) => {
      const [first, ...rest] = SEED[service];
      await client.query(first, [ORDERS]);
      for (const statement of rest) await client.query(statement);
      await client.query('VACUUM ANALYZE');
    });
    console.log(`${service}: seeded ${ORDERS} orders in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const url = stack.urls[service];
    const started = Date.now();
    let after = '';
    let items = 0;
    let pages = 0;
    let slowest = 0;
    let bytes = 0;
    for (;;) {
      const pageStarted = Date.now();
      const response = await fetch(`${url}/milestones?afterOrderId=${encodeURIComponent(after)}&limit=${PAGE}`, { headers: { 'x-api-key': stack.apiKeys.operator } });
      const text = await response.text();
      if (!response.ok) throw new Error(`${service}: HTTP ${response.status} ${text.slice(0, 300)}`);
      const page = JSON.parse(text);
      slowest = Math.max(slowest, Date.now() - pageStarted);
      bytes += text.length;
      items += page.items.length;
      pages++;
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `${service}: ${items} orders in ${pages} pages of ${PAGE}: ${seconds.toFixed(1)} s ` +
        `(${Math.round(items / seconds)} orders/s, ${((seconds * 1000) / pages).toFixed(1)} ms/page, slowest ${slowest} ms, ${(bytes / 1e6).toFixed(0)} MB)`,
    );
  } finally {
    await stack?.stop();
    if (process.env.BENCH_KEEP === '1') console.log(`${service}: kept database ${database} (BENCH_KEEP=1)`);
    else await withClient(SERVER_URL, (client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    await deleteTopics({ prefix });
  }
}

for (const service of SERVICES) await bench(service);
