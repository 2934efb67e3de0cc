import { spawn } from 'node:child_process';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { type EventEnvelope, TOPICS } from '@commerce/contracts';
import { sampleEvent } from '@commerce/contracts/testing';
import { eventually, kafkaBroker, repoRoot, type TestDatabase, testBrokers, uniqueName } from '@commerce/testing';
import { EventProcessor } from '../src/consumer/event-processor';
import type { EventHandler } from '../src/consumer/event-context';
import { DeadLetterSink } from '../src/dead-letters/dead-letter-sink';
import { DeadLetters } from '../src/dead-letters/dead-letters';
import type { KafkajsMessagingClient } from '../src/kafka/kafkajs-client';
import type { MessageConsumer, MessageProducer } from '../src/kafka/ports';
import { Outbox } from '../src/outbox/outbox';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { PoisonMessageError } from '../src/retry';
import { effects, messagesOnTopic, messagingDatabase, rawKafka, suiteTopics } from './fixture';

jest.setTimeout(120_000);

const orderPlacedPayload = sampleEvent('OrderPlaced').payload;

describe('messaging over the real broker and Postgres', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let prefix: string;
  let client: KafkajsMessagingClient;
  let producer: MessageProducer;
  let relay: OutboxRelay;
  let consumer: MessageConsumer;
  let processor: EventProcessor;
  const orderOutbox = () => new Outbox('order-service', prefix);
  const failing = new Set<string>();

  /** The handler under test: records one effect row and reacts with an event of its own. */
  const reserveStock: EventHandler = async (event, context) => {
    if (failing.has(event.orderId)) throw new Error(`stock system unavailable for ${event.orderId}`);
    if (event.orderId.startsWith('poison-')) throw new PoisonMessageError('order names an unknown warehouse');
    await context.manager.query('INSERT INTO effect (event_id, order_id) VALUES ($1, $2)', [event.eventId, event.orderId]);
  };

  async function placeOrders(orderIds: string[]): Promise<EventEnvelope[]> {
    const outbox = orderOutbox();
    return dataSource.transaction(async (manager) => {
      const events = orderIds.map((orderId) => outbox.event('OrderPlaced', orderPlacedPayload, { orderId }));
      await outbox.store(manager, events);
      return events;
    });
  }

  beforeAll(async () => {
    ({ db, dataSource } = await messagingDatabase('messaging'));
    ({ prefix, client } = await suiteTopics());
    producer = client.producer();
    await producer.connect();
    relay = new OutboxRelay(dataSource, producer, { listenUrl: db.url, idleMs: 500 });
    await relay.start();
    processor = new EventProcessor({
      dataSource,
      outbox: new Outbox('inventory-service', prefix),
      lookup: (type) => (type === 'OrderPlaced' ? reserveStock : undefined),
      deadLetters: new DeadLetterSink(dataSource, producer, 'inventory-test', prefix + TOPICS.deadLetter),
      retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 100 },
    });
    consumer = client.consumer(uniqueName('inventory-test'));
    await consumer.connect();
    await consumer.subscribe([prefix + TOPICS.orderEvents]);
    await consumer.run((messages) => processor.processBatch(messages).then(() => undefined), { partitionsConsumedConcurrently: 3 });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await relay?.stop({ flush: false });
    await producer?.disconnect();
    await dataSource?.destroy();
    await db?.drop();
  });

  beforeEach(async () => {
    failing.clear();
    await dataSource.query('TRUNCATE effect');
  });

  it('carries an event from the outbox through Kafka into the inbox, with its correlation', async () => {
    const [placed] = await placeOrders([uniqueName('order')]);
    const inventoryOutbox = new Outbox('inventory-service', prefix);
    const chained = jest.fn(async (_event: EventEnvelope, context: Parameters<EventHandler>[1]) => {
      await reserveStock(_event, context);
      await context.emit('InventoryReserved', sampleEvent('InventoryReserved').payload);
    });
    const local = new EventProcessor({
      dataSource,
      outbox: inventoryOutbox,
      lookup: () => chained,
      deadLetters: new DeadLetterSink(dataSource, producer, 'unused'),
      retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1 },
    });

    await eventually(async () => expect(await effects(dataSource)).toEqual({ total: 1, distinct: 1 }));
    const [row] = await dataSource.query('SELECT envelope FROM outbox_message WHERE event_id = $1', [placed.eventId]);
    expect(row.envelope).toMatchObject({ eventId: placed.eventId, type: 'OrderPlaced', orderId: placed.orderId });

    // Correlation flows from the consumed event into the one it causes.
    await dataSource.query('TRUNCATE processed_event');
    await local.process({
      topic: prefix + TOPICS.orderEvents,
      partition: 0,
      offset: '0',
      key: placed.orderId,
      value: JSON.stringify(placed),
      headers: {},
    });
    const [caused] = await dataSource.query(
      "SELECT envelope FROM outbox_message WHERE event_type = 'InventoryReserved' AND message_key = $1",
      [placed.orderId],
    );
    expect(caused.envelope).toMatchObject({
      correlationId: placed.correlationId,
      causationId: placed.eventId,
      producer: 'inventory-service',
      orderId: placed.orderId,
    });
  });

  it('applies an event delivered twice with the same eventId exactly once', async () => {
    const orderId = uniqueName('order');
    const [placed] = await placeOrders([orderId]);
    await eventually(async () => expect(await effects(dataSource)).toEqual({ total: 1, distinct: 1 }));

    // Re-produce the very same event behind the library's back, then a sentinel on the same key:
    // once the sentinel is applied, the duplicate before it has been consumed too.
    const raw = rawKafka().producer();
    await raw.connect();
    await raw.send({ topic: prefix + TOPICS.orderEvents, messages: [{ key: orderId, value: JSON.stringify(placed) }] });
    await raw.disconnect();
    await placeOrders([orderId]);

    await eventually(async () => expect(await effects(dataSource)).toEqual({ total: 2, distinct: 2 }));
    const rows = await dataSource.query('SELECT count(*)::int AS n FROM effect WHERE event_id = $1', [placed.eventId]);
    expect(rows[0].n).toBe(1);
  });

  it('loses nothing and applies nothing twice when the broker is down for ~10 s', async () => {
    const written: string[] = [];
    const writer = (async () => {
      for (let i = 0; i < 60; i++) {
        const [event] = await placeOrders([uniqueName('outage')]);
        written.push(event.eventId);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await kafkaBroker('stop');
    const stoppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const pendingWhileDown = await relay.backlog();
    await kafkaBroker('start');
    const downForMs = Date.now() - stoppedAt;
    await writer;

    expect(downForMs).toBeGreaterThanOrEqual(10_000);
    expect(pendingWhileDown).toBeGreaterThan(0); // events waited in the outbox
    await eventually(async () => expect(await effects(dataSource)).toEqual({ total: 60, distinct: 60 }), {
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    const applied = await dataSource.query('SELECT event_id FROM effect');
    expect(new Set(applied.map((r: { event_id: string }) => r.event_id))).toEqual(new Set(written));
    expect(await relay.backlog()).toBe(0);
  });

  it('publishes again what a relay killed mid-batch had sent, and consumers absorb the duplicates', async () => {
    await relay.stop({ flush: false });
    try {
      const orderIds = Array.from({ length: 1000 }, () => uniqueName('crash'));
      for (let i = 0; i < orderIds.length; i += 250) await placeOrders(orderIds.slice(i, i + 250));
      const before = await messagesOnTopic(prefix + TOPICS.orderEvents);

      const child = spawn(
        process.execPath,
        ['-r', '@swc-node/register', path.join(__dirname, 'relay-child.ts'), db.url, testBrokers().join(','), '3'],
        { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] },
      );
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      expect(signal).toBe('SIGKILL');

      const sentByChild = (await messagesOnTopic(prefix + TOPICS.orderEvents)) - before;
      const stillPending = await relay.backlog();
      expect(sentByChild).toBe(300); // three batches reached Kafka...
      expect(stillPending).toBe(1000 - 200); // ...but only two were marked published
    } finally {
      await relay.start();
    }
    await eventually(async () => expect(await effects(dataSource)).toEqual({ total: 1000, distinct: 1000 }), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    expect(await relay.backlog()).toBe(0);
  });

  it('dead-letters a poison message with its reason and keeps the partition flowing', async () => {
    const orderId = uniqueName('order');
    const bad = { ...sampleEvent('OrderPlaced'), eventId: '7d0b3b5e-0000-4000-8000-000000000001', orderId };
    (bad.payload as { lines: { quantity: number }[] }).lines = [{ ...orderPlacedPayload.lines[0], quantity: -2 }];
    const raw = rawKafka().producer();
    await raw.connect();
    await raw.send({
      topic: prefix + TOPICS.orderEvents,
      messages: [{ key: orderId, value: JSON.stringify(bad), headers: { 'event-type': 'OrderPlaced', origin: 'test' } }],
    });
    await raw.disconnect();
    const [behind] = await placeOrders([orderId]); // same key: same partition, behind the poison
    const [failingEvent] = await placeOrders([`poison-${uniqueName('x')}`]);

    await eventually(async () => expect(await effects(dataSource)).toEqual({ total: 1, distinct: 1 }));
    const applied = await dataSource.query('SELECT event_id FROM effect');
    expect(applied[0].event_id).toBe(behind.eventId);

    const deadLetters = new DeadLetters(dataSource, processor);
    const parked = await eventually(async () => {
      const list = await deadLetters.list();
      expect(list.map((d) => d.eventId).sort()).toEqual([bad.eventId, failingEvent.eventId].sort());
      return list;
    });
    const schemaFailure = parked.find((d) => d.eventId === bad.eventId)!;
    expect(schemaFailure.reason).toContain('payload.lines[0].quantity');
    expect(schemaFailure.attempts).toBe(1);
    const handlerFailure = parked.find((d) => d.eventId === failingEvent.eventId)!;
    expect(handlerFailure.reason).toContain('PoisonMessageError: order names an unknown warehouse');

    // The copy on the dead-letter topic keeps the original headers and says why.
    const dlq = rawKafka().consumer({ groupId: uniqueName('dlq-reader') });
    await dlq.connect();
    await dlq.subscribe({ topic: prefix + TOPICS.deadLetter, fromBeginning: true });
    const seen: Record<string, string>[] = [];
    await dlq.run({
      eachMessage: async ({ message }) => {
        seen.push(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])));
      },
    });
    await eventually(() => expect(seen.find((h) => h['origin'] === 'test')).toBeDefined());
    await dlq.disconnect();
    const copy = seen.find((h) => h['origin'] === 'test')!;
    expect(copy['dead-letter-reason']).toContain('payload.lines[0].quantity');
    expect(copy['dead-letter-attempts']).toBe('1');
    expect(copy['dead-letter-original-topic']).toBe(prefix + TOPICS.orderEvents);
  });

  it('retries a failing handler with backoff, dead-letters it, and a replay after the fix applies it once', async () => {
    const orderId = uniqueName('flaky');
    failing.add(orderId);
    const [event] = await placeOrders([orderId]);
    const deadLetters = new DeadLetters(dataSource, processor);
    const parked = await eventually(async () => {
      const found = (await deadLetters.list()).find((d) => d.eventId === event.eventId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(parked.attempts).toBe(3);
    expect(parked.reason).toContain('stock system unavailable');
    expect(await effects(dataSource)).toEqual({ total: 0, distinct: 0 });

    // Still broken: the replay fails, says why, and changes nothing.
    const stillBroken = await deadLetters.replay(parked.id);
    expect(stillBroken.outcome).toBe('failed');
    expect(await effects(dataSource)).toEqual({ total: 0, distinct: 0 });

    failing.delete(orderId);
    expect(await deadLetters.replay(parked.id)).toEqual({ id: parked.id, outcome: 'applied' });
    expect(await deadLetters.replay(parked.id)).toEqual({ id: parked.id, outcome: 'duplicate' });
    expect(await effects(dataSource)).toEqual({ total: 1, distinct: 1 });
    expect((await deadLetters.list()).find((d) => d.id === parked.id)).toBeUndefined();
  });
});
