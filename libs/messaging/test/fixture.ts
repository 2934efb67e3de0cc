import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS } from '@commerce/contracts';
import { createTestDatabase, type TestDatabase, testBrokers, uniqueName } from '@commerce/testing';
import { KafkajsMessagingClient } from '../src/kafka/kafkajs-client';
import { MessagingTables1763770000000 } from '../src/migrations/1763770000000-messaging-tables';

/** A database with the messaging tables plus an `effect` table handlers write to. */
export async function messagingDatabase(prefix: string): Promise<{ db: TestDatabase; dataSource: DataSource }> {
  const db = await createTestDatabase(prefix);
  const dataSource = new DataSource({
    type: 'postgres',
    url: db.url,
    migrations: [MessagingTables1763770000000],
    migrationsRun: true,
    extra: { max: 10 },
  });
  await dataSource.initialize();
  // No unique key on purpose: an event applied twice shows up as two rows.
  await dataSource.query('CREATE TABLE effect (event_id uuid NOT NULL, order_id text NOT NULL, at timestamptz DEFAULT now())');
  return { db, dataSource };
}

/** Topics of this suite alone: `<prefix>.commerce.*`, created on the real broker. */
export async function suiteTopics(partitions = 3) {
  const prefix = `${uniqueName('it')}.`;
  const client = new KafkajsMessagingClient(testBrokers(), uniqueName('test-admin'));
  const admin = client.admin();
  await admin.connect();
  await admin.ensureTopics(Object.values(TOPICS).map((topic) => ({ topic: prefix + topic, partitions })));
  await admin.disconnect();
  return { prefix, client };
}

/** Plain kafkajs, for what a test does behind the library's back (raw produce, counting). */
export function rawKafka() {
  return new Kafka({ clientId: uniqueName('raw'), brokers: testBrokers(), logLevel: logLevel.NOTHING });
}

export async function messagesOnTopic(topic: string): Promise<number> {
  const admin = rawKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export async function effects(dataSource: DataSource): Promise<{ total: number; distinct: number }> {
  const [row] = await dataSource.query('SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct FROM effect');
  return row;
}
