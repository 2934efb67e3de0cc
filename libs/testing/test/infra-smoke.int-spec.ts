import { Queue, QueueEvents, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, testBrokers, testRedisUrl, uniqueName } from '../src';

jest.setTimeout(60_000);

class CreateParcels1700000000001 implements MigrationInterface {
  name = 'CreateParcels1700000000001';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE parcel (id serial PRIMARY KEY, order_id text NOT NULL, weight_grams int NOT NULL)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE parcel');
  }
}

describe('the provisioned infrastructure', () => {
  it('lets kafkajs produce a keyed message that a consumer group reads back', async () => {
    const kafka = new Kafka({ clientId: uniqueName('smoke'), brokers: testBrokers(), logLevel: logLevel.NOTHING });
    const topic = uniqueName('smoke.keyed');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const [sent] = await producer.send({ topic, acks: -1, messages: [{ key: 'order-42', value: 'hello' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: string; partition: number }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message, partition }) =>
          resolve({ key: String(message.key), value: String(message.value), partition }),
      });
    });
    await consumer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();

    expect(received).toEqual({ key: 'order-42', value: 'hello', partition: sent.partition });
  });

  it('lets TypeORM run a migration and a query on a database of its own', async () => {
    const db = await createTestDatabase('smoke');
    const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: [CreateParcels1700000000001] });
    try {
      await dataSource.initialize();
      const ran = await dataSource.runMigrations();
      expect(ran.map((m) => m.name)).toEqual(['CreateParcels1700000000001']);
      await dataSource.query('INSERT INTO parcel (order_id, weight_grams) VALUES ($1, $2), ($1, $3)', ['o-1', 500, 250]);
      const [row] = await dataSource.query('SELECT sum(weight_grams)::int AS total FROM parcel WHERE order_id = $1', ['o-1']);
      expect(row.total).toBe(750);
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });

  it('lets BullMQ run a job on the provisioned Redis', async () => {
    const connections = [1, 2, 3].map(() => new IORedis(testRedisUrl(), { maxRetriesPerRequest: null }));
    const [connection, eventsConnection, workerConnection] = connections;
    const name = uniqueName('smoke-queue');
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection: eventsConnection });
    const worker = new Worker(name, async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
      connection: workerConnection,
    });
    try {
      await events.waitUntilReady();
      const job = await queue.add('double', { n: 21 });
      await expect(job.waitUntilFinished(events, 20_000)).resolves.toEqual({ doubled: 42 });
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await Promise.all(connections.map((c) => c.quit()));
    }
  });
});
