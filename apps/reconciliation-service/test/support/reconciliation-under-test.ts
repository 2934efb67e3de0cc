import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { API_KEY_HEADER, configureServiceApp, loadConfig } from '@commerce/platform';
import { createTestDatabase, createTestTopics, deleteRedisKeys, deleteTestTopics, eventually, type TestDatabase, testBrokers, testRedisUrl, uniqueName } from '@commerce/testing';
import { AppModule, RECONCILIATION_APP } from '../../src/app.module';
import { configSchema } from '../../src/config';
import { JobWorkers } from '../../src/jobs/job-workers';
import type { RunDetail, RunStarted } from './api';
import { FAKE_SERVICES_CALLER_KEY, FakeServices } from './fake-services';

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * What one suite runs against: its own database, BullMQ prefix and Kafka topic prefix on the
 * real Postgres, Redis and Kafka, and fakes of the five services' /milestones.
 */
export interface TestEnvironment {
  db: TestDatabase;
  queuePrefix: string;
  kafkaPrefix: string;
  fakes: FakeServices;
  /** The key the service's REST API asks for (`X-Api-Key`); in `env` as RECONCILIATION_API_KEY. */
  apiKey: string;
  /** The env the service runs with (in this process or a child). */
  env: Record<string, string>;
  destroy(): Promise<void>;
}

export async function createTestEnvironment(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const db = await createTestDatabase('recon');
  const queuePrefix = uniqueName('recon');
  const kafkaPrefix = `${uniqueName('t')}.`;
  await createTestTopics(kafkaPrefix);
  const fakes = new FakeServices();
  await fakes.start();
  const apiKey = randomBytes(24).toString('hex');
  const env: Record<string, string> = {
    RECONCILIATION_API_KEY: apiKey,
    SERVICES_CALLER_KEY: FAKE_SERVICES_CALLER_KEY,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testBrokers().join(','),
    KAFKA_TOPIC_PREFIX: kafkaPrefix,
    REDIS_URL: testRedisUrl(),
    RECONCILIATION_QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'error',
    INCREMENTAL_SCAN_EVERY_MS: '0',
    FULL_SCAN_EVERY_MS: '0',
    REPAIR_VERIFY_DELAY_MS: '0',
    MILESTONES_RETRIES: '1',
    MILESTONES_RETRY_DELAY_MS: '50',
    MILESTONES_TIMEOUT_MS: '1500',
    JOB_LOCK_MS: '3000',
    JOB_STALLED_CHECK_MS: '1000',
    JOB_BACKOFF_MS: '200',
    ...fakes.env(),
    ...overrides,
  };
  return {
    db,
    queuePrefix,
    kafkaPrefix,
    fakes,
    apiKey,
    env,
    async destroy() {
      await fakes.stop();
      await deleteRedisKeys(queuePrefix);
      await deleteTestTopics(kafkaPrefix);
      await db.drop();
    },
  };
}

export interface ReconciliationUnderTest {
  app: INestApplication;
  dataSource: DataSource;
  workers: JobWorkers;
  baseUrl: string;
  /** The key its REST API asks for; `http` sends it unless told `apiKey: null` (or another key). */
  apiKey: string;
  http<T = unknown>(method: string, path: string, options?: HttpOptions): Promise<HttpResult<T>>;
  /** POST /runs and wait until the run finished; returns GET /runs/:id. */
  /** Starts a run and waits for it to end, asking every `intervalMs` (100). */
  run(body: Record<string, unknown>, timeoutMs?: number, intervalMs?: number): Promise<RunDetail>;
  waitForRun(runId: string, timeoutMs?: number, intervalMs?: number): Promise<RunDetail>;
  close(): Promise<void>;
}

export interface HttpOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** `X-Api-Key` to send; null sends none. @defaultValue the service's key */
  apiKey?: string | null;
}

/** The reconciliation service running in this process, HTTP on a random port, workers started. */
export async function startReconciliation(environment: TestEnvironment, env: Record<string, string> = {}): Promise<ReconciliationUnderTest> {
  const config = loadConfig(configSchema, { ...process.env, ...environment.env, ...env });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await configureServiceApp(app, RECONCILIATION_APP);
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const http = async <T>(method: string, path: string, { body, headers = {}, apiKey = config.RECONCILIATION_API_KEY }: HttpOptions = {}): Promise<HttpResult<T>> => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(apiKey !== null ? { [API_KEY_HEADER]: apiKey } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text && /json/.test(response.headers.get('content-type') ?? '');
    return { status: response.status, headers: response.headers, body: (json ? JSON.parse(text) : text || undefined) as T };
  };
  const waitForRun = (runId: string, timeoutMs = 60_000, intervalMs = 100) =>
    eventually(
      async () => {
        const run = await http<RunDetail>('GET', `/runs/${runId}`);
        if (!['completed', 'incomplete', 'failed'].includes(run.body.status)) throw new Error(`run ${runId} is ${run.body.status}`);
        return run.body;
      },
      { timeoutMs, intervalMs },
    );
  return {
    app,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    workers: app.get(JobWorkers),
    baseUrl,
    apiKey: config.RECONCILIATION_API_KEY,
    http,
    waitForRun,
    async run(body, timeoutMs, intervalMs) {
      const started = await http<RunStarted>('POST', '/runs', { body });
      if (started.status !== 202) throw new Error(`POST /runs answered ${started.status}: ${JSON.stringify(started.body)}`);
      return waitForRun(started.body.runId, timeoutMs, intervalMs);
    },
    close: () => app.close(),
  };
}

/**
 * A suite on an environment of its own: started in beforeAll, stopped in afterAll. Its fields are
 * set once started, so read them inside the tests.
 */
export function suiteOnItsOwn(overrides: Record<string, string> = {}): { env: TestEnvironment; recon: ReconciliationUnderTest } {
  const suite = {} as { env: TestEnvironment; recon: ReconciliationUnderTest };
  beforeAll(async () => {
    suite.env = await createTestEnvironment(overrides);
    suite.recon = await startReconciliation(suite.env);
  });
  afterAll(async () => {
    await suite.recon?.close();
    await suite.env?.destroy();
  });
  return suite;
}
