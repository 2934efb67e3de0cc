import { randomBytes } from 'node:crypto';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { type EventEnvelope, type EventType, headersFor, topicFor } from '@commerce/contracts';
import { API_KEY_HEADER, apiKeySettingItem, configureServiceApp, loadConfig, type ServiceAppOptions } from '@commerce/platform';
import { deleteTopics, ensureTopics } from '@commerce/provisioning';
import { createTestDatabase, type TestDatabase, testBrokers, uniqueName } from './infra';

// Tests assert on response bodies field by field; `any` keeps them readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface HttpOptions {
  /** Sent as JSON (a string is sent as it is). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as `X-Api-Key`; null sends none. @defaultValue the test's write key */
  apiKey?: string | null;
}

/** The keys a service under test accepts (SERVICE_API_KEYS holds their hashes), fresh per service. */
export interface TestApiKeys {
  /** Caller `test-writer`, scope write: what `http` sends unless told otherwise. */
  write: string;
  /** Caller `test-reader`, scope read. */
  read: string;
}

/** Fresh keys, and the SERVICE_API_KEYS setting that holds their hashes. */
export function testApiKeys(): TestApiKeys & { setting: string } {
  const write = randomBytes(18).toString('base64url');
  const read = randomBytes(18).toString('base64url');
  return { write, read, setting: [apiKeySettingItem('test-writer', 'write', write), apiKeySettingItem('test-reader', 'read', read)].join(',') };
}

/**
 * One service running for real: its own fresh database, its own topics (`<prefix>commerce.*`) on
 * the real broker (the consumer group is prefixed the same way), HTTP on a free port.
 */
export interface ServiceUnderTest {
  app: INestApplication;
  db: TestDatabase;
  dataSource: DataSource;
  /** Prepended to every topic name, e.g. `t_1a2b3c4d.`. */
  prefix: string;
  baseUrl: string;
  apiKeys: TestApiKeys;
  /** One HTTP request (with the write key unless `apiKey` says otherwise); the body is parsed as JSON when it is JSON, else left as text (undefined when empty). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  http<T = any>(method: string, path: string, options?: HttpOptions): Promise<HttpResult<T>>;
  /** Produces envelopes one after the other as their producer would: to `<prefix><topic of the type>`, keyed by orderId. */
  produce(...events: EventEnvelope[]): Promise<void>;
  /** What arrived so far on the watched topics for an order (optionally of one type), in arrival order. */
  published<T extends EventType>(orderId: string, type?: T): Array<EventEnvelope<T>>;
  /** True once the service has applied (or recognized as a duplicate) the event with this id. */
  processed(eventId: string): Promise<boolean>;
  /** The envelopes the service wrote to its outbox for an order (published or not), optionally of one type, oldest first. */
  outbox<T extends EventType>(orderId: string, type?: T): Promise<Array<EventEnvelope<T>>>;
  /** Stops the app and the clients, drops the database and deletes the topics. */
  close(): Promise<void>;
}

export interface ServiceUnderTestOptions<S extends z.ZodType> extends ServiceAppOptions {
  configSchema: S;
  appModule: (config: z.infer<S>) => DynamicModule;
  /** Settings for this instance (over the test database, broker and topic prefix). */
  env?: Record<string, string>;
  /** Provider overrides (e.g. a deterministic random source). */
  configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Topics (names from TOPICS, unprefixed) whose events `published` collects, read from the start. */
  watch?: string[];
}

function kafka(): Kafka {
  return new Kafka({ clientId: uniqueName('test'), brokers: testBrokers(), logLevel: logLevel.NOTHING });
}

/** Creates every topic of the backbone under `prefix`, as `infra up` does (KAFKA_PARTITIONS partitions, production's count). */
export async function createTestTopics(prefix: string): Promise<void> {
  await ensureTopics({ prefix, brokers: testBrokers() });
}

/** Deletes the backbone's topics under `prefix`. */
export async function deleteTestTopics(prefix: string): Promise<void> {
  await deleteTopics({ prefix, brokers: testBrokers() });
}

/**
 * Starts a service's AppModule in-process as production does (the app setup of bootstrapService,
 * its event transport included) on a fresh database and topics of its own, plus a kafkajs producer
 * to drive events into it.
 */
export async function startServiceUnderTest<S extends z.ZodType>(options: ServiceUnderTestOptions<S>): Promise<ServiceUnderTest> {
  const db = await createTestDatabase(options.service.replace(/-service$/, ''));
  const prefix = `${uniqueName('t')}.`;
  await createTestTopics(prefix);
  const { setting: apiKeySetting, ...apiKeys } = testApiKeys();

  const config = loadConfig(options.configSchema, {
    ...process.env,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testBrokers().join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    SERVICE_API_KEYS: apiKeySetting,
    ...options.env,
  });

  let app: INestApplication | undefined;
  try {
    const builder = Test.createTestingModule({ imports: [options.appModule(config)] });
    const moduleRef = await (options.configure ? options.configure(builder) : builder).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await configureServiceApp(app, options);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    // A service that cannot start (a test of start-up failures) leaves nothing behind, and the
    // start-up error is what the caller sees, whatever the clean-up meets.
    await app?.close().catch(() => undefined);
    await Promise.allSettled([db.drop(), deleteTestTopics(prefix)]);
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const dataSource = app.get<DataSource>(getDataSourceToken());

  const client = kafka();
  const producer: Producer = client.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const seen: EventEnvelope[] = [];
  let watcher: Consumer | null = null;
  if (options.watch && options.watch.length > 0) {
    watcher = client.consumer({ groupId: uniqueName('test-watch') });
    await watcher.connect();
    await watcher.subscribe({ topics: options.watch.map((topic) => prefix + topic), fromBeginning: true });
    await watcher.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value?.toString() ?? 'null')) });
  }

  return {
    app,
    db,
    dataSource,
    prefix,
    baseUrl,
    apiKeys,
    async http(method, path, { body, headers = {}, apiKey = apiKeys.write } = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(apiKey === null ? {} : { [API_KEY_HEADER]: apiKey }),
          ...headers,
        },
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
    published<T extends EventType>(orderId: string, type?: T) {
      return seen.filter((event) => event.orderId === orderId && (type === undefined || event.type === type)) as Array<EventEnvelope<T>>;
    },
    async processed(eventId) {
      const rows: unknown[] = await dataSource.query('SELECT 1 FROM processed_event WHERE event_id = $1', [eventId]);
      return rows.length > 0;
    },
    async outbox<T extends EventType>(orderId: string, type?: T) {
      const rows: Array<{ envelope: EventEnvelope<T> }> = await dataSource.query(
        `SELECT envelope FROM outbox_message WHERE message_key = $1 ${type ? 'AND event_type = $2' : ''} ORDER BY id`,
        type ? [orderId, type] : [orderId],
      );
      return rows.map((row) => row.envelope);
    },
    async close() {
      await watcher?.disconnect();
      await producer.disconnect();
      await app.close();
      await db.drop();
      await deleteTestTopics(prefix);
    },
  };
}
