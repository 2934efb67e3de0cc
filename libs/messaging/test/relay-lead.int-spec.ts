import type { DataSource } from 'typeorm';
import { sampleEvent } from '@commerce/contracts/testing';
import { eventually, type TestDatabase, uniqueName } from '@commerce/testing';
import type { KafkajsMessagingClient } from '../src/kafka/kafkajs-client';
import type { MessageProducer, OutgoingMessage } from '../src/kafka/ports';
import { Outbox } from '../src/outbox/outbox';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { messagingDatabase, suiteTopics } from './fixture';

jest.setTimeout(60_000);

/** Two relays on one database, as two replicas of a service run them. */
describe('outbox relays of several replicas', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let prefix: string;
  let client: KafkajsMessagingClient;
  let producer: MessageProducer;
  const sentBy: Record<'a' | 'b', string[]> = { a: [], b: [] };
  let relays: Record<'a' | 'b', OutboxRelay>;

  /** The shared producer, counting what each relay sent. */
  const countingProducer = (name: 'a' | 'b'): MessageProducer => ({
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async (messages: OutgoingMessage[]) => {
      await producer.send(messages);
      sentBy[name].push(...messages.map((m) => m.headers['event-id']));
    },
  });

  beforeAll(async () => {
    ({ db, dataSource } = await messagingDatabase('relay-lead'));
    ({ prefix, client } = await suiteTopics(1));
    producer = client.producer();
    await producer.connect();
    relays = {
      a: new OutboxRelay(dataSource, countingProducer('a'), { idleMs: 200 }),
      b: new OutboxRelay(dataSource, countingProducer('b'), { idleMs: 200 }),
    };
    await relays.a.start();
    await relays.b.start();
  });

  afterAll(async () => {
    await relays?.a.stop({ flush: false });
    await relays?.b.stop({ flush: false });
    await producer?.disconnect();
    await dataSource?.destroy();
    await db?.drop();
  });

  async function storeEvents(count: number): Promise<string[]> {
    const outbox = new Outbox('order-service', prefix);
    const events = Array.from({ length: count }, () => outbox.event('OrderPlaced', sampleEvent('OrderPlaced').payload, { orderId: uniqueName('order') }));
    await dataSource.transaction((manager) => outbox.store(manager, events));
    return events.map((e) => e.eventId);
  }
  const allSent = () => [...sentBy.a, ...sentBy.b];

  it('publishes through one of them only, and the other takes over when the first one\'s connection is killed', async () => {
    const first = await storeEvents(20);
    await eventually(() => expect(allSent().sort()).toEqual([...first].sort()));
    const leader: 'a' | 'b' = sentBy.a.length > 0 ? 'a' : 'b';
    const standby: 'a' | 'b' = leader === 'a' ? 'b' : 'a';
    expect(sentBy[standby]).toEqual([]);

    // The leader's process dies as far as Postgres can tell: its connection is cut, its lock released.
    const [holder] = await dataSource.query(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    await dataSource.query('SELECT pg_terminate_backend($1)', [holder.pid]);
    await relays[leader].stop({ flush: false }); // and it does not come back
    const second = await storeEvents(20);
    await eventually(() => expect(sentBy[standby]).toEqual(expect.arrayContaining(second)), { timeoutMs: 10_000 });
    // Besides, at most the leader's last batch again: sent, but not marked yet (its next cycle
    // marks it) when its connection died. At least once; consumers' inboxes absorb it.
    expect(sentBy[standby].filter((id) => !second.includes(id)).every((id) => first.includes(id))).toBe(true);
    // The relay marks rows published after the send returns: the backlog empties just after.
    await eventually(async () => expect(await relays[standby].backlog()).toBe(0), { timeoutMs: 10_000 });
  });

  it('marks a batch published with its next cycle, and its last one when it stops', async () => {
    await relays.a.stop({ flush: true });
    await relays.b.stop({ flush: true });
    const relay = new OutboxRelay(dataSource, countingProducer('a'), { idleMs: 60_000 }); // never started: cycles by hand
    const marked = async (ids: string[]): Promise<number> =>
      (await dataSource.query('SELECT count(*)::int AS n FROM outbox_message WHERE event_id::text = ANY($1::text[]) AND published_at IS NOT NULL', [ids]))[0].n;
    const first = await storeEvents(3);
    expect(await relay.publishBatch()).toBe(3);
    expect(await relay.backlog()).toBe(0); // sent: no longer pending, though not marked yet
    expect(await marked(first)).toBe(0);
    const second = await storeEvents(2);
    expect(await relay.publishBatch()).toBe(2); // the same statement marked the first batch
    expect(await marked(first)).toBe(3);
    expect(await marked(second)).toBe(0);
    await relay.stop({ flush: false });
    expect(await marked(second)).toBe(2);
  });
});
