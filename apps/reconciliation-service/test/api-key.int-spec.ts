import { randomUUID } from 'node:crypto';
import { loadConfig } from '@commerce/platform';
import { configSchema } from '../src/config';
import type { Problem } from './support/api';
import { createTestEnvironment, type ReconciliationUnderTest, startReconciliation, type TestEnvironment } from './support/reconciliation-under-test';

jest.setTimeout(60_000);

let env: TestEnvironment;
let recon: ReconciliationUnderTest;

beforeAll(async () => {
  // The OpenAPI walk below makes a keyless call per operation: more than the default limit per minute.
  env = await createTestEnvironment({ API_KEY_FAILURES_PER_MINUTE: '1000' });
  recon = await startReconciliation(env);
});

afterAll(async () => {
  await recon?.close();
  await env?.destroy();
});

const runCount = async (): Promise<number> => Number((await recon.dataSource.query(`SELECT count(*) AS n FROM reconciliation_run`))[0].n);

interface OpenApiDocument {
  components: { securitySchemes?: Record<string, unknown> };
  security?: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
}

describe('the REST API without the key', () => {
  it('answers POST /runs with 401 problem details and starts no run', async () => {
    const before = await runCount();
    const answer = await recon.http<Problem>('POST', '/runs', { body: { kind: 'full' }, apiKey: null });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status: 401, type: expect.stringMatching(/api-key-rejected$/), title: 'API key required', instance: '/runs' });
    expect(answer.body.detail).toMatch(/X-Api-Key/);
    expect(await runCount()).toBe(before);
  });

  it('answers 401 before looking at the request (no 400 or 404 that would tell what exists)', async () => {
    const resolve = await recon.http<Problem>('POST', `/cases/${randomUUID()}/resolve`, { body: {}, apiKey: null });
    expect(resolve.status).toBe(401);
    const notAUuid = await recon.http<Problem>('GET', '/runs/not-a-uuid', { apiKey: null });
    expect(notAUuid.status).toBe(401);
  });
});

describe('the REST API with a wrong key', () => {
  it.each([
    ['a different key of the same length', 'a-different-key-of-the-same-length'.padEnd(48, '-')],
    ['a short key', 'x'],
    ['a much longer key', 'k'.repeat(200)],
  ])('answers 401 to %s', async (_what, wrong) => {
    const before = await runCount();
    const answer = await recon.http<Problem>('POST', '/runs', { body: { kind: 'full' }, apiKey: wrong });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ status: 401, type: expect.stringMatching(/api-key-rejected$/) });
    expect(await runCount()).toBe(before);
  });

  it('does not take the key of another header or a query parameter', async () => {
    expect((await recon.http('GET', `/rules?apiKey=${recon.apiKey}`, { apiKey: null })).status).toBe(401);
    expect((await recon.http('GET', '/rules', { apiKey: null, headers: { authorization: `Bearer ${recon.apiKey}` } })).status).toBe(401);
  });
});

describe('the REST API with the key', () => {
  it.each(['/runs', '/cases', '/rules', '/stats'])('answers GET %s with 200', async (path) => {
    expect((await recon.http('GET', path)).status).toBe(200);
  });
});

describe('what answers without the key', () => {
  it.each(['/health', '/health/live', '/metrics', '/docs', '/docs-json'])('%s', async (path) => {
    const response = await fetch(recon.baseUrl + path);
    expect(response.status).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  let document: OpenApiDocument;
  beforeAll(async () => {
    document = (await recon.http<OpenApiDocument>('GET', '/docs-json', { apiKey: null })).body;
  });

  it('declares the X-Api-Key scheme, required everywhere by default', () => {
    expect(document.components.securitySchemes?.['apiKey']).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(document.security).toEqual([{ apiKey: [] }]);
  });

  it('says the health probes need no credentials', () => {
    for (const path of ['/health', '/health/live']) expect(document.paths[path]?.['get']?.security).toEqual([{}]);
  });

  // The guard and the document must agree: every operation the document says needs the key refuses a call without it.
  it('lists no operation that answers without the key, other than the health probes', async () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
    const guarded = operations.filter(({ operation }) => operation.security === undefined);
    expect(guarded.length).toBeGreaterThanOrEqual(10);
    for (const { path, method } of guarded) {
      const answer = await recon.http(method.toUpperCase(), path.replace(/\{[^}]+\}/g, randomUUID()), { apiKey: null, ...(method === 'post' ? { body: {} } : {}) });
      expect(`${method} ${path} → ${answer.status}`).toBe(`${method} ${path} → 401`);
    }
    expect(operations.filter(({ operation }) => operation.security !== undefined).map(({ path }) => path).sort()).toEqual(['/health', '/health/live']);
  });
});

describe('configuration', () => {
  it('refuses to start without a key, naming the setting', () => {
    const { RECONCILIATION_API_KEY: _key, ...withoutKey } = env.env;
    expect(() => loadConfig(configSchema, withoutKey)).toThrow(/RECONCILIATION_API_KEY is missing/);
    expect(() => loadConfig(configSchema, { ...withoutKey, RECONCILIATION_API_KEY: 'too-short' })).toThrow(/RECONCILIATION_API_KEY is invalid: must be at least 16 characters/);
  });
});
