/**
 * npm run bench:outbox — outbox relay throughput and commit→broker latency on the real
 * Kafka and Postgres. Prints figures; asserts nothing (the targets are in the README).
 *
 *   BENCH_EVENTS (default 50000)   events for the throughput phase
 *   BENCH_LATENCY_EVENTS (500)     events for the latency phase, committed one by one
 *   BENCH_RATE (100)               events/s in the latency phase (light load)
 *   BENCH_BATCH (1000)             relay batch size in the throughput phase
 */
import 'reflect-metadata';
import os from 'node:os';
import { DataSource } from 'typeorm';
import { type EventEnvelope, TOPICS } from '@commerce/contracts';
import { sampleEvent } from '@commerce/contracts/testing';
import {
  KafkajsMessagingClient,
  MessagingTables1763770000000,
  Outbox,
  OutboxRelay,
  type MessageProducer,
  type OutgoingMessage,
} from '@commerce/messaging';
import { createTestDatabase, testBrokers, uniqueName } from '@commerce/testing';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 50_000);
const LATENCY_EVENTS = Number(process.env['BENCH_LATENCY_EVENTS'] ?? 500);
const RATE = Number(process.env['BENCH_RATE'] ?? 100);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 1000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function progress(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stdout.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done >= total) process.stdout.write('\n');
}

async function main() {
  const db = await createTestDatabase('bench_outbox');
  const prefix = `${uniqueName('bench')}.`;
  const client = new KafkajsMessagingClient(testBrokers(), 'bench-outbox');
  const admin = client.admin();
  await admin.connect();
  await admin.ensureTopics(Object.values(TOPICS).map((t) => ({ topic: prefix + t, partitions: 6 })));
  const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: [MessagingTables1763770000000], migrationsRun: true });
  await dataSource.initialize();
  const outbox = new Outbox('order-service', prefix);
  const payload = sampleEvent('OrderPlaced').payload;

  const acked = new Map<string, number>();
  const inner = client.producer();
  await inner.connect();
  const producer: MessageProducer = {
    connect: () => inner.connect(),
    disconnect: () => inner.disconnect(),
    async send(messages: OutgoingMessage[]) {
      await inner.send(messages);
      const now = performance.now();
      for (const m of messages) acked.set(m.headers['event-id'], now);
    },
  };

  try {
    // Throughput: a backlog of EVENTS committed rows, drained by one relay.
    for (let i = 0; i < EVENTS; i += 1000) {
      const events: EventEnvelope[] = [];
      for (let j = i; j < Math.min(EVENTS, i + 1000); j++) events.push(outbox.event('OrderPlaced', payload, { orderId: `order-${j}` }));
      await dataSource.transaction((manager) => outbox.store(manager, events));
      progress('seeding outbox   ', Math.min(EVENTS, i + 1000), EVENTS);
    }
    const relay = new OutboxRelay(dataSource, producer, { batchSize: BATCH });
    const started = performance.now();
    let published = 0;
    while (published < EVENTS) {
      published += await relay.publishBatch();
      progress('relaying         ', published, EVENTS);
    }
    const seconds = (performance.now() - started) / 1000;
    await relay.stop({ flush: false }); // hands the lead to the next relay

    // Latency under light load: each event committed alone, the relay woken by LISTEN/NOTIFY.
    acked.clear();
    const liveRelay = new OutboxRelay(dataSource, producer, { batchSize: 500, listenUrl: db.url });
    await liveRelay.start();
    const committed = new Map<string, number>();
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const event = outbox.event('OrderPlaced', payload, { orderId: `latency-${i}` });
      await dataSource.transaction((manager) => outbox.store(manager, [event]));
      committed.set(event.eventId, performance.now());
      progress('light load       ', i + 1, LATENCY_EVENTS);
      await new Promise((resolve) => setTimeout(resolve, 1000 / RATE));
    }
    const deadline = Date.now() + 30_000;
    while (acked.size < LATENCY_EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await liveRelay.stop({ flush: false });
    const latencies = [...committed].filter(([id]) => acked.has(id)).map(([id, at]) => (acked.get(id) ?? Number.NaN) - at).sort((a, b) => a - b);

    console.log('\noutbox relay benchmark');
    console.log(`  machine            ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
    console.log(`  throughput         ${EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(EVENTS / seconds)} events/s (one relay, batches of ${BATCH}, acks=all, idempotent)`);
    console.log(`  commit→broker ack  p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1]?.toFixed(1)} ms over ${latencies.length} events at ${RATE}/s`);
    if (latencies.length < LATENCY_EVENTS) console.log(`  WARNING: ${LATENCY_EVENTS - latencies.length} events not acknowledged within 30 s`);
  } finally {
    await inner.disconnect();
    await dataSource.destroy();
    await admin.deleteTopics(Object.values(TOPICS).map((t) => prefix + t)).catch(() => undefined);
    await admin.disconnect();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
