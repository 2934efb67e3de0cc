import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { type EventEnvelope, headersFor, TOPICS, topicFor } from '@commerce/contracts';
import { KafkaEventTransport, KafkajsMessagingClient } from '@commerce/messaging';
import { loadConfig, problemValidationPipe } from '@commerce/platform';
import { createTestDatabase, type TestDatabase, testBrokers, testServerUrl, uniqueName } from '@commerce/testing';

// Tests assert on response bodies field by field; `any` keeps them readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One service running for real: its own fresh database, its own topics (`<prefix>.commerce.*`)
 * on the real broker (the consumer group is prefixed the same way), HTTP on a random port.
 */
export interface ServiceUnderTest {
  app: INestApplication;
  db: TestDatabase;
  dataSource: DataSource;
  prefix: string;
  baseUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  http<T = any>(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<HttpResult<T>>;
  /** Produces envelopes as their producer would: to `<prefix><topic of the type>`, keyed by orderId. */
  produce(...events: EventEnvelope[]): Promise<void>;
  close(): Promise<void>;
}

export async function startServiceUnderTest<S extends z.ZodType>(options: {
  name: string;
  configSchema: S;
  appModule: (config: z.infer<S>) => DynamicModule;
  env?: Record<string, string>;
  /** Further provider overrides (e.g. a deterministic random source). */
  configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}): Promise<ServiceUnderTest> {
  const db = await createTestDatabase(options.name.replace(/-service$/, ''));
  const prefix = `${uniqueName('t')}.`;
  const admin = new KafkajsMessagingClient(testBrokers(), uniqueName('test-admin')).admin();
  await admin.connect();
  await admin.ensureTopics(Object.values(TOPICS).map((topic) => ({ topic: prefix + topic, partitions: 3 })));
  await admin.disconnect();

  const config = loadConfig(options.configSchema, {
    ...process.env,
    DATABASE_URL: testServerUrl(),
    DATABASE_NAME: db.name,
    KAFKA_BROKERS: testBrokers().join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    ...options.env,
  });

  const builder = Test.createTestingModule({ imports: [options.appModule(config)] });
  const moduleRef = await (options.configure ? options.configure(builder) : builder).compile();

  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.useGlobalPipes(problemValidationPipe());
  app.enableShutdownHooks();
  app.connectMicroservice({ strategy: app.get(KafkaEventTransport) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const dataSource = app.get<DataSource>(getDataSourceToken());

  const kafka = new Kafka({ clientId: uniqueName('test-producer'), brokers: testBrokers(), logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();

  return {
    app,
    db,
    dataSource,
    prefix,
    baseUrl,
    async http(method, path, { body, headers = {} } = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
      }
      return { status: response.status, headers: response.headers, body: parsed as never };
    },
    async produce(...events) {
      for (const event of events) {
        await producer.send({
          topic: prefix + topicFor(event.type),
          messages: [{ key: event.orderId, value: JSON.stringify(event), headers: headersFor(event) }],
        });
      }
    },
    async close() {
      await producer.disconnect();
      await app.close();
      await db.drop();
      const cleanup = new KafkajsMessagingClient(testBrokers(), uniqueName('test-admin')).admin();
      await cleanup.connect();
      await cleanup.deleteTopics(Object.values(TOPICS).map((topic) => prefix + topic));
      await cleanup.disconnect();
    },
  };
}
