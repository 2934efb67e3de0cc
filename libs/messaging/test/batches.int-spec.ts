import type { DataSource } from 'typeorm';
import { type EventEnvelope, TOPICS } from '@commerce/contracts';
import { sampleEvent } from '@commerce/contracts/testing';
import { eventually, type TestDatabase, uniqueName } from '@commerce/testing';
import { EventProcessor } from '../src/consumer/event-processor';
import type { EventHandler } from '../src/consumer/event-context';
import { DeadLetterSink } from '../src/dead-letters/dead-letter-sink';
import { DeadLetters } from '../src/dead-letters/dead-letters';
import type { KafkajsMessagingClient } from '../src/kafka/kafkajs-client';
import type { MessageConsumer, MessageProducer } from '../src/kafka/ports';
import { Outbox } from '../src/outbox/outbox';
import { messagingDatabase, rawKafka, suiteTopics } from './fixture';

jest.setTimeout(120_000);

/**
 * Consecutive messages of a partition are applied in one transaction. These are the promises
 * that must hold anyway: effects and inbox rows commit together, offsets only after; per-key
 * order; a poison message in the middle of a batch is dead-lettered alone.
 */
describe('consuming in batches, over the real broker and Postgres', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let prefix: string;
  let client: KafkajsMessagingClient;
  let producer: MessageProducer;
  let consumer: MessageConsumer | null = null;
  let processor: EventProcessor;
  let gate: Promise<void> | null = null;
  const topic = () => prefix + TOPICS.orderEvents;

  /** Records its effect with the transaction it ran in; waits at the gate while one is set. */
  const recordEffect: EventHandler = async (event, context) => {
    if (event.orderId.startsWith('poison')) throw new Error('this order cannot be applied');
    if (gate) await gate;
    await context.manager.query('INSERT INTO applied (event_id, order_id, tx) VALUES ($1, $2, txid_current())', [event.eventId, event.orderId]);
  };

  beforeAll(async () => {
    ({ db, dataSource } = await messagingDatabase('batches'));
    await dataSource.query('CREATE TABLE applied (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, order_id text NOT NULL, tx bigint NOT NULL)');
    ({ prefix, client } = await suiteTopics(1));
    producer = client.producer();
    await producer.connect();
    processor = new EventProcessor({
      dataSource,
      outbox: new Outbox('inventory-service', prefix),
      lookup: (type) => (type === 'OrderPlaced' ? recordEffect : undefined),
      deadLetters: new DeadLetterSink(dataSource, producer, 'batch-test', prefix + TOPICS.deadLetter),
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    });
  });

  afterEach(async () => {
    gate = null;
    await consumer?.disconnect();
    consumer = null;
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dataSource?.destroy();
    await db?.drop();
  });

  /** Events produced straight to the topic (one partition), so a consumer started later fetches them together. */
  async function produce(orderIds: string[]): Promise<EventEnvelope[]> {
    const outbox = new Outbox('order-service', prefix);
    const events = orderIds.map((orderId) => outbox.event('OrderPlaced', sampleEvent('OrderPlaced').payload, { orderId }));
    await producer.send(events.map((e) => ({ topic: topic(), key: e.orderId, value: JSON.stringify(e), headers: { 'event-type': e.type } })));
    return events;
  }

  async function consume(groupId: string): Promise<void> {
    consumer = client.consumer(groupId);
    await consumer.connect();
    await consumer.subscribe([topic()]);
    await consumer.run((messages) => processor.processBatch(messages).then(() => undefined), { maxBatchSize: 100 });
  }

  async function committedOffset(groupId: string): Promise<number> {
    const admin = rawKafka().admin();
    await admin.connect();
    try {
      const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic()] });
      return Number(partitions[0].offset);
    } finally {
      await admin.disconnect();
    }
  }

  async function endOffset(): Promise<number> {
    const admin = rawKafka().admin();
    await admin.connect();
    try {
      return Number((await admin.fetchTopicOffsets(topic()))[0].high);
    } finally {
      await admin.disconnect();
    }
  }

  const appliedRows = (): Promise<Array<{ event_id: string; tx: string }>> => dataSource.query('SELECT event_id, tx FROM applied ORDER BY seq');
  const inboxCount = async (ids: string[]) =>
    (await dataSource.query('SELECT count(*)::int AS n FROM processed_event WHERE event_id = ANY($1::uuid[])', [ids]))[0].n as number;

  it('commits a batch whole, effects with inbox rows, and its offsets only after, in order', async () => {
    await dataSource.query('TRUNCATE applied');
    const events = await produce(Array.from({ length: 20 }, (_, i) => uniqueName(`order-${i}`)));
    const groupId = uniqueName('batch-whole');
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    await consume(groupId);

    // Held at the gate, mid-batch: nothing of it is visible and no offset is committed.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await appliedRows()).toEqual([]);
    expect(await inboxCount(events.map((e) => e.eventId))).toBe(0);
    expect(await committedOffset(groupId)).toBeLessThan(1);

    open();
    await eventually(async () => expect(await committedOffset(groupId)).toBe(events.length));
    const rows = await appliedRows();
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId)); // once each, in offset order
    expect(await inboxCount(events.map((e) => e.eventId))).toBe(events.length);
    // Applied in batches, not one transaction per message.
    expect(new Set(rows.map((r) => r.tx)).size).toBeLessThan(events.length);
  });

  it('dead-letters a poison message in the middle of a batch alone, and applies its neighbours once each', async () => {
    await dataSource.query('TRUNCATE applied');
    const before = await produce(Array.from({ length: 10 }, (_, i) => uniqueName(`before-${i}`)));
    const [poison] = await produce([uniqueName('poison')]);
    const after = await produce(Array.from({ length: 10 }, (_, i) => uniqueName(`after-${i}`)));
    // The same event again, right behind: absorbed by the inbox within the same batch.
    await producer.send([{ topic: topic(), key: after[0].orderId, value: JSON.stringify(after[0]), headers: {} }]);
    const groupId = uniqueName('batch-poison');
    await consume(groupId);

    // The group reads the topic from the start: the first test's events are duplicates by now.
    const end = await endOffset();
    await eventually(async () => expect(await committedOffset(groupId)).toBe(end));
    const neighbours = [...before, ...after].map((e) => e.eventId);
    expect((await appliedRows()).map((r) => r.event_id)).toEqual(neighbours);
    expect(await inboxCount(neighbours)).toBe(neighbours.length);
    expect(await inboxCount([poison.eventId])).toBe(0);
    const parked = (await new DeadLetters(dataSource, processor).list()).filter((d) => d.orderId?.startsWith('poison'));
    expect(parked.map((d) => d.eventId)).toEqual([poison.eventId]);
    expect(parked[0].reason).toContain('this order cannot be applied');
  });

  it("passes over other services' events without parsing or dead-lettering them", async () => {
    await dataSource.query('TRUNCATE applied');
    // A type this consumer has no handler for, not even valid JSON: no business of this service's.
    const foreign = Array.from({ length: 5 }, (_, i) => ({ topic: topic(), key: `foreign-${i}`, value: '{not json', headers: { 'event-type': 'PaymentAuthorized' } }));
    await producer.send(foreign);
    const [mine] = await produce([uniqueName('after-foreign')]);
    const groupId = uniqueName('batch-foreign');
    await consume(groupId);

    const end = await endOffset();
    await eventually(async () => expect(await committedOffset(groupId)).toBe(end));
    expect((await appliedRows()).map((r) => r.event_id)).toEqual([mine.eventId]);
    const parked = (await new DeadLetters(dataSource, processor).list()).filter((d) => d.reason?.includes('not JSON'));
    expect(parked).toEqual([]);
  });
});
