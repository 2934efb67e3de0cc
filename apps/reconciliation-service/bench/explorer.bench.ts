/**
 * How long the order explorer's Kafka read takes for one order on a topic of a million events.
 *
 *   npm run bench:explorer -- [events=1000000]
 *
 * Makes the backbone's topics under a prefix of its own (production's partitions), fills
 * commerce.order.events with `events` OrderPlaced-sized messages of random orders, the measured
 * order's two events in the middle, then times OrderEventsReader.read (what GET /orders/:orderId
 * waits on longest) three ways, three times each, and deletes the topics. Needs the broker of
 * `npm run infra:up` (KAFKA_BROKERS). The figures go in docs/operations.md.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { TOPICS } from '@commerce/contracts';
import { loadConfig } from '@commerce/platform';
import { createTestTopics, deleteTestTopics, testBrokers, uniqueName } from '@commerce/testing';
import { configSchema } from '../src/config';
import { OrderEventsReader } from '../src/orders/order-events-reader';

const total = Number(process.argv[2] ?? 1_000_000);
const BATCH = 5_000;

function envelope(orderId: string, type: string): string {
  return JSON.stringify({
    eventId: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    orderId,
    correlationId: randomUUID(),
    causationId: null,
    producer: 'order-service',
    payload: { customerId: 'c-1', lines: [{ sku: 'SKU-MUG-RED', quantity: 1, unitPriceMinor: 1250 }], currency: 'EUR', totalMinor: 1250, paymentToken: 'tok_ok' },
  });
}

async function main(): Promise<void> {
  const prefix = `${uniqueName('bench-explorer')}.`;
  const topic = prefix + TOPICS.orderEvents;
  await createTestTopics(prefix);
  const kafka = new Kafka({ clientId: 'bench-explorer', brokers: testBrokers(), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const orderId = randomUUID();
  let reader: OrderEventsReader | null = null;
  try {
    await producer.connect();
    const filled = Date.now();
    let placedAt = new Date();
    let lastAt = new Date();
    for (let sent = 0; sent < total; sent += BATCH) {
      const messages = Array.from({ length: Math.min(BATCH, total - sent) }, () => {
        const key = randomUUID();
        return { key, value: envelope(key, 'OrderPlaced') };
      });
      if (sent <= total / 2 && total / 2 < sent + BATCH) {
        placedAt = new Date();
        messages.splice(messages.length / 2, 0, { key: orderId, value: envelope(orderId, 'OrderPlaced') }, { key: orderId, value: envelope(orderId, 'OrderCancellationRequested') });
        lastAt = new Date();
      }
      await producer.send({ topic, messages, acks: 1 });
      if ((sent / BATCH) % 40 === 0) process.stdout.write(`  filled ${sent} of ${total}\n`);
    }
    console.log(`filled ${topic} with ${total + 2} events in ${((Date.now() - filled) / 1000).toFixed(1)} s`);

    const config = loadConfig(configSchema, { ...process.env, RECONCILIATION_API_KEY: 'bench-explorer-key-0000', KAFKA_TOPIC_PREFIX: prefix, KAFKA_BROKERS: testBrokers().join(',') });
    const active = new OrderEventsReader(config);
    reader = active;
    const ways: Array<[string, () => ReturnType<OrderEventsReader['read']>]> = [
      ['closed order (first and last activity known)', () => active.read(orderId, placedAt, lastAt)],
      ['open case (from the first activity to the end)', () => active.read(orderId, placedAt, null)],
      ['nothing known (whole partition, capped)', () => active.read(orderId, null, null)],
    ];
    for (const [name, read] of ways) {
      for (let round = 1; round <= 3; round++) {
        const started = process.hrtime.bigint();
        const result = await read();
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const own = result.topics.find((entry) => entry.topic === topic);
        console.log(`${name}, round ${round}: ${ms.toFixed(0)} ms, found ${result.events.length} events, scanned ${own?.scanned} on partition ${own?.partition}, complete ${result.complete}`);
      }
    }
  } finally {
    await reader?.onApplicationShutdown();
    await producer.disconnect();
    await deleteTestTopics(prefix);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
