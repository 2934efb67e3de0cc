import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { type EventEnvelope, type EventType, headersFor, type RawEventEnvelope, TOPICS, topicFor } from '@commerce/contracts';
import { KafkaEventTransport, KafkajsMessagingClient } from '@commerce/messaging';
import { loadConfig, problemValidationPipe } from '@commerce/platform';
import { createTestDatabase, eventually, type TestDatabase, testBrokers, uniqueName } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';

/**
 * shipment-service running for real (HTTP + its Kafka consumer + outbox relay) on its own
 * database and its own topics, plus a plain kafkajs producer to drive upstream events into it
 * and a consumer that records what it publishes.
 */
export interface ShipmentServiceUnderTest {
  url: string;
  prefix: string;
  app: INestApplication;
  /** Produces an envelope to its catalog topic, key = orderId, exactly as a producer service would. */
  produce(...events: EventEnvelope[]): Promise<void>;
  /** Every event shipment-service published on its topic since start-up. */
  published(orderId: string, type?: EventType): RawEventEnvelope[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the suites read JSON answers field by field
  http(method: string, path: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startShipmentService(env: Record<string, string> = {}): Promise<ShipmentServiceUnderTest> {
  const db: TestDatabase = await createTestDatabase('shipment');
  const prefix = `${uniqueName('shp')}.`;
  const admin = new KafkajsMessagingClient(testBrokers(), uniqueName('shp-admin')).admin();
  await admin.connect();
  await admin.ensureTopics(Object.values(TOPICS).map((topic) => ({ topic: prefix + topic, partitions: 3 })));
  await admin.disconnect();

  const config = loadConfig(configSchema, {
    ...process.env,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    DATABASE_NAME: db.name,
    KAFKA_TOPIC_PREFIX: prefix,
    PORT: '1',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.useGlobalPipes(problemValidationPipe());
  app.enableShutdownHooks();
  app.connectMicroservice({ strategy: app.get(KafkaEventTransport) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  const kafka = new Kafka({ clientId: uniqueName('shp-test'), brokers: testBrokers(), logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer();
  await producer.connect();
  const seen: RawEventEnvelope[] = [];
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('shp-watch') });
  await consumer.connect();
  await consumer.subscribe({ topic: prefix + TOPICS.shipmentEvents, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value?.toString() ?? 'null')) });

  return {
    url,
    prefix,
    app,
    async produce(...events) {
      for (const event of events) {
        await producer.send({
          topic: prefix + topicFor(event.type),
          messages: [{ key: event.orderId, value: JSON.stringify(event), headers: headersFor(event) }],
        });
      }
    },
    published: (orderId, type) => seen.filter((e) => e.orderId === orderId && (type === undefined || e.type === type)),
    async http(method, path) {
      const response = await fetch(url + path, { method });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
      await app.close();
      await db.drop();
      await admin.connect();
      await admin.deleteTopics(Object.values(TOPICS).map((topic) => prefix + topic));
      await admin.disconnect();
    },
  };
}

/** Waits for the service to answer with the shipments of an order (n of them). */
export function shipmentsOf(service: ShipmentServiceUnderTest, orderId: string, n: number) {
  return eventually(async () => {
    const { status, body } = await service.http('GET', `/shipments?orderId=${orderId}`);
    expect(status).toBe(200);
    expect(body).toHaveLength(n);
    return body as Array<{ shipmentId: string; node: string; status: string; valueMinor: number; lines: unknown[] }>;
  });
}
