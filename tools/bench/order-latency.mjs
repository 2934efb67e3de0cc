#!/usr/bin/env node
// Order latency benchmark: how long from "POST /orders" to the payment authorization that makes
// the order CONFIRMED, at a modest steady rate with stock available.
//
//   npm run bench:latency                      starts its own stack (fresh databases and topics)
//   ORDER_URL=http://127.0.0.1:3001 INVENTORY_URL=http://127.0.0.1:3002 npm run bench:latency
//                                              targets a running stack (KAFKA_TOPIC_PREFIX if it uses one)
//
// Settings (environment): BENCH_ORDERS (default 200), BENCH_RATE orders/s (default 20),
// BENCH_TIMEOUT_S to wait for the last decisions (default 120), BENCH_KEEP=1 to keep the databases
// and topics of its own stack for a look afterwards, KAFKA_BROKERS.
//
// What is measured, two ways:
// 1. placed -> CONFIRMED as the order service recorded it: its placedAt and the receivedAt of
//    PaymentAuthorized in the order's timeline (GET /orders/:id, read once after the run), both
//    on the server's clock. This is the latency the customer sees.
// 2. POST -> PaymentAuthorized on the topic: the bench consumes the payment topic and takes the
//    moment each order's PaymentAuthorized reaches it, minus the moment just before its POST,
//    both on this process's monotonic clock: the whole chain (order outbox -> Kafka -> inventory
//    -> outbox -> Kafka -> payment -> outbox -> Kafka) without the order service's last consume.
// Neither polls while orders are in flight, so neither adds polling error or load.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
// The stack runner and provisioning are TypeScript: `npm run bench:latency` preloads @swc-node/register.
const { startStack } = require('@commerce/stack');
const { deleteTopics, ensureDatabases } = require('@commerce/provisioning');
const { Kafka, logLevel } = require('kafkajs');
const { Client } = require('pg');

const int = (name, fallback) => {
  const n = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};
const ORDERS = int('BENCH_ORDERS', 200);
const RATE = int('BENCH_RATE', 20);
const TIMEOUT_MS = int('BENCH_TIMEOUT_S', 120) * 1000;
const BROKERS = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_SERVICES = ['order-service', 'inventory-service', 'payment-service', 'shipment-service', 'notification-service'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message) => console.log(`[bench] ${message}`);

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The services' X-Api-Key: the own stack's operator key, or COMMERCE_API_KEY with ORDER_URL. */
let apiKey = process.env.COMMERCE_API_KEY ?? '';

async function http(method, url, body, headers = {}) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Its own stack: fresh databases and topics, output to test-artifacts/bench/. */
async function ownStack() {
  const id = randomUUID().replace(/-/g, '').slice(0, 8);
  const topicPrefix = `bench_${id}.`;
  const databases = Object.fromEntries(BENCH_SERVICES.map((s) => [s, `bench_${id}_${s.replace(/-service$/, '')}`]));
  await ensureDatabases(Object.values(databases), SERVER_URL);
  log(`starting the stack (topic prefix ${topicPrefix}, logs in test-artifacts/bench/${id}/) ...`);
  const started = performance.now();
  const stack = await startStack({
    services: BENCH_SERVICES,
    topicPrefix,
    databases,
    createDatabases: false,
    createTopics: true,
    ports: Object.fromEntries(BENCH_SERVICES.map((s) => [s, 0])),
    logDir: `test-artifacts/bench/${id}`,
    logLevel: process.env.LOG_LEVEL ?? 'warn',
  });
  log(`stack up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  apiKey = stack.apiKeys.operator;
  return {
    orderUrl: stack.urls.order,
    inventoryUrl: stack.urls.inventory,
    topicPrefix,
    async close() {
      await stack.stop();
      if (process.env.BENCH_KEEP === '1') {
        log(`kept databases ${Object.values(databases).join(', ')} and topics ${topicPrefix}*`);
        return;
      }
      await deleteTopics({ prefix: topicPrefix });
      const client = new Client({ connectionString: SERVER_URL });
      await client.connect();
      try {
        for (const name of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function main() {
  const target = process.env.ORDER_URL
    ? {
        orderUrl: process.env.ORDER_URL,
        inventoryUrl: process.env.INVENTORY_URL || 'http://127.0.0.1:3002',
        topicPrefix: process.env.KAFKA_TOPIC_PREFIX ?? '',
        close: async () => undefined,
      }
    : await ownStack();

  const kafka = new Kafka({ clientId: `bench-${randomUUID()}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  /** orderId -> when its decision reached the bench (ms, performance clock). */
  const decided = new Map();
  try {
    const sku = `BENCH-${randomUUID().slice(0, 8).toUpperCase()}`;
    await http('PUT', `${target.inventoryUrl}/stock/${sku}/wh-bench`, { onHand: ORDERS * 2 });

    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    await consumer.connect();
    await consumer.subscribe({ topic: target.topicPrefix + 'commerce.payment.events', fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const type = message.headers?.['event-type']?.toString();
        if (type !== 'PaymentAuthorized' && type !== 'PaymentDeclined') return;
        const orderId = message.key?.toString();
        if (orderId && !decided.has(orderId)) decided.set(orderId, { at: performance.now(), type });
      },
    });
    await joined;
    await sleep(1000); // let the new group settle on its (latest) offsets before the first order

    log(`placing ${ORDERS} orders at ${RATE}/s ...`);
    const sentAt = new Map();
    const failures = [];
    const start = performance.now();
    const placing = [];
    for (let i = 0; i < ORDERS; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const before = performance.now();
      placing.push(
        http(
          'POST',
          `${target.orderUrl}/orders`,
          {
            customerId: 'cus_bench',
            currency: 'EUR',
            lines: [{ sku, quantity: 1, unitPriceMinor: 1999 }],
            paymentToken: 'tok_ok',
            shippingAddress: { name: 'Bench Mark', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
          },
          { 'idempotency-key': randomUUID() },
        ).then(
          (order) => sentAt.set(order.orderId, before),
          (error) => failures.push(error.message),
        ),
      );
    }
    await Promise.all(placing);
    const placedIn = (performance.now() - start) / 1000;

    const deadline = performance.now() + TIMEOUT_MS;
    while ([...sentAt.keys()].some((id) => !decided.has(id)) && performance.now() < deadline) await sleep(100);

    const latencies = [];
    let declined = 0;
    for (const [orderId, before] of sentAt) {
      const decision = decided.get(orderId);
      if (!decision) continue;
      if (decision.type === 'PaymentDeclined') declined++;
      else latencies.push(decision.at - before);
    }
    latencies.sort((a, b) => a - b);
    const undecided = sentAt.size - latencies.length - declined;

    // The order service's own account: placedAt -> when it recorded PaymentAuthorized (the
    // moment the order became CONFIRMED), both on the server's clock. Waits for the order
    // service to catch up with the decisions the bench has already seen.
    const statuses = {};
    const confirmedLatencies = [];
    const catchUpDeadline = performance.now() + TIMEOUT_MS;
    for (const orderId of sentAt.keys()) {
      let order = await http('GET', `${target.orderUrl}/orders/${orderId}`);
      while (order.status === 'PLACED' && performance.now() < catchUpDeadline) {
        await sleep(100);
        order = await http('GET', `${target.orderUrl}/orders/${orderId}`);
      }
      statuses[order.status] = (statuses[order.status] ?? 0) + 1;
      const authorized = order.timeline?.find((entry) => entry.event === 'PaymentAuthorized');
      if (authorized?.receivedAt) confirmedLatencies.push(Date.parse(authorized.receivedAt) - Date.parse(order.placedAt));
    }
    confirmedLatencies.sort((a, b) => a - b);

    const ms = (v) => `${v.toFixed(1)} ms`;
    console.log('');
    const report = (label, values) =>
      values.length > 0
        ? console.log(`  ${label.padEnd(36)} p50 ${ms(percentile(values, 50))}  p99 ${ms(percentile(values, 99))}  max ${ms(values.at(-1))}  (n=${values.length})`)
        : console.log(`  ${label.padEnd(36)} no samples`);
    console.log('order latency at a steady rate, stock available, tok_ok');
    console.log(`  orders        ${sentAt.size} placed in ${placedIn.toFixed(1)} s (${(sentAt.size / placedIn).toFixed(1)}/s), ${failures.length} POST failures`);
    console.log(`  decisions     ${latencies.length} authorized, ${declined} declined, ${undecided} undecided after ${TIMEOUT_MS / 1000} s`);
    console.log(`  order status  ${Object.entries(statuses).map(([s, n]) => `${s} ${n}`).join(', ')} (GET /orders/:id)`);
    report('placed -> CONFIRMED (order service)', confirmedLatencies);
    report('POST -> PaymentAuthorized on topic', latencies);
    console.log(`  machine       ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`);
    if (failures.length > 0) console.log(`  first failure ${failures[0]}`);
    process.exitCode = failures.length > 0 || undecided > 0 ? 1 : 0;
  } finally {
    await consumer.disconnect();
    await target.close();
  }
}

main().catch((error) => {
  console.error(`[bench] ${error.stack ?? error.message}`);
  process.exit(1);
});
