#!/usr/bin/env node
// npm run demo -- [--orders 200] [--rate 5] — realistic traffic through the services' public REST,
// so the reconciliation dashboard has real flows (and real cases) to show.
//
// Mix: happy orders (dispatched and delivered), out-of-stock orders, declined payments,
// cancellations before dispatch, and cancellations after dispatch (refused: a case for a person).
// Service URLs: ORDER_SERVICE_URL ... (defaults: the ports `npm start` uses).
// The services ask for a key: COMMERCE_API_KEY, a write key (`npm start` prints one), sent as X-Api-Key.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '200' },
    rate: { type: 'string', default: '5' },
    seed: { type: 'string', default: '42' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('usage: npm run demo -- [--orders N] [--rate ORDERS_PER_SECOND] [--seed N]');
  process.exit(0);
}
const ORDERS = Number(values.orders);
const RATE = Number(values.rate);
if (!(ORDERS > 0) || !(RATE > 0)) {
  console.error('error: --orders and --rate must be positive numbers');
  process.exit(2);
}

const API_KEY = process.env.COMMERCE_API_KEY;
if (!API_KEY) {
  console.error('error: COMMERCE_API_KEY is missing: the services need a write key (`npm start` prints one: export COMMERCE_API_KEY=...)');
  process.exit(2);
}

const url = (name, port) => process.env[`${name.toUpperCase()}_SERVICE_URL`] ?? `http://127.0.0.1:${port}`;
const URLS = {
  order: url('order', 3001),
  inventory: url('inventory', 3002),
  shipment: url('shipment', 3004),
};

// Deterministic pseudo-random mix (mulberry32), so two demo runs tell the same story.
let state = Number(values.seed) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

async function call(service, method, path, body, headers = {}) {
  let response;
  try {
    response = await fetch(URLS[service] + path, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), 'x-api-key': API_KEY, ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new Error(`${service} service at ${URLS[service]} does not answer (${error.cause?.code ?? error.message}): is \`npm start\` running?`);
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(`${method} ${service}${path} → ${response.status}: ${parsed?.detail ?? text}`);
  return parsed;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) return null;
    await sleep(250);
  }
}

const CATALOG = [
  { sku: 'SKU-KETTLE', unitPriceMinor: 3999, nodes: { 'berlin-1': 500, 'lyon-1': 500 } },
  { sku: 'SKU-MUG', unitPriceMinor: 899, nodes: { 'berlin-1': 2000 } },
  { sku: 'SKU-TEAPOT', unitPriceMinor: 5499, nodes: { 'lyon-1': 300 } },
  { sku: 'SKU-RARE-VINYL', unitPriceMinor: 12999, nodes: { 'berlin-1': 3 } }, // runs out: rejections
];

function pickScenario() {
  const r = random();
  if (r < 0.55) return 'happy';
  if (r < 0.65) return 'out-of-stock';
  if (r < 0.78) return 'declined';
  if (r < 0.9) return 'cancel-before-dispatch';
  return 'cancel-after-dispatch';
}

function linesFor(scenario) {
  if (scenario === 'out-of-stock') return [{ sku: 'SKU-RARE-VINYL', quantity: 5, unitPriceMinor: 12999 }];
  const picks = CATALOG.slice(0, 3).filter(() => random() < 0.6);
  const chosen = picks.length ? picks : [CATALOG[1]];
  return chosen.map((p) => ({ sku: p.sku, quantity: 1 + Math.floor(random() * 3), unitPriceMinor: p.unitPriceMinor }));
}

async function shipmentsOf(orderId) {
  const page = await call('shipment', 'GET', `/shipments?orderId=${encodeURIComponent(orderId)}`);
  return Array.isArray(page) ? page : (page.items ?? []);
}

async function playOrder(scenario) {
  const order = await call(
    'order',
    'POST',
    '/orders',
    {
      customerId: `cust-${Math.floor(random() * 500)}`,
      currency: 'EUR',
      lines: linesFor(scenario),
      paymentToken: scenario === 'declined' ? 'tok_decline' : 'tok_ok',
      shippingAddress: { name: 'Demo Customer', line1: '1 Demo Street', city: 'Berlin', postalCode: '10115', country: 'DE' },
    },
    { 'Idempotency-Key': randomUUID() },
  );
  const orderId = order.orderId;
  if (scenario === 'out-of-stock' || scenario === 'declined') return;

  if (scenario === 'cancel-before-dispatch') {
    await call('order', 'POST', `/orders/${orderId}/cancel`, { reason: 'customer changed their mind' });
    return;
  }
  const shipments = await eventually(async () => {
    const list = await shipmentsOf(orderId);
    return list.length > 0 && list.every((s) => s.status === 'CREATED') ? list : null;
  });
  if (!shipments) return; // still in flight: the reconciliation service will have something to say
  for (const s of shipments) await call('shipment', 'POST', `/shipments/${s.shipmentId}/dispatch`);
  if (scenario === 'cancel-after-dispatch') {
    await call('order', 'POST', `/orders/${orderId}/cancel`, { reason: 'arrived too late' });
    return;
  }
  if (random() < 0.7) for (const s of shipments) await call('shipment', 'POST', `/shipments/${s.shipmentId}/deliver`);
}

function bar(done, total, counts, startedAt) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const elapsed = (Date.now() - startedAt) / 1000;
  const mix = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ');
  process.stdout.write(`\r[demo] [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} orders in ${elapsed.toFixed(0)} s (${mix})   `);
}

async function main() {
  console.log(`[demo] stocking ${CATALOG.length} SKUs`);
  for (const item of CATALOG) {
    for (const [node, onHand] of Object.entries(item.nodes)) {
      await call('inventory', 'PUT', `/stock/${item.sku}/${node}`, { onHand });
    }
  }
  const counts = {};
  const errors = [];
  const inFlight = new Set();
  const startedAt = Date.now();
  let done = 0;
  for (let i = 0; i < ORDERS; i++) {
    const scenario = pickScenario();
    counts[scenario] = (counts[scenario] ?? 0) + 1;
    const play = playOrder(scenario)
      .catch((error) => errors.push(error.message))
      .finally(() => {
        done += 1;
        inFlight.delete(play);
        bar(done, ORDERS, counts, startedAt);
      });
    inFlight.add(play);
    if (errors.length > 0 && /does not answer/.test(errors[0])) break;
    await sleep(1000 / RATE);
  }
  await Promise.all(inFlight);
  process.stdout.write('\n');
  if (errors.length) {
    console.error(`[demo] ${errors.length} request(s) failed; first: ${errors[0]}`);
    process.exit(1);
  }
  console.log('[demo] done: open the dashboard and trigger a reconciliation run (or wait for the scheduled one)');
}

main().catch((error) => {
  console.error(`\n[demo] ${error.message}`);
  process.exit(1);
});
