import { freePort, type SecureRedis, startSecureRedis } from '@commerce/testing';
import { deliveredOrder } from './support/milestones';
import { createTestEnvironment, type ReconciliationUnderTest, startReconciliation, type TestEnvironment } from './support/reconciliation-under-test';

jest.setTimeout(120_000);

/**
 * The reconciliation service's queues (BullMQ) on a Redis that asks for a password and speaks TLS
 * only, its certificate signed by a private CA: `rediss://:<password>@...` and REDIS_TLS_CA_FILE.
 */
describe('the reconciliation service on Redis with TLS and a password', () => {
  let redis: SecureRedis;
  let env: TestEnvironment;
  let recon: ReconciliationUnderTest;

  beforeAll(async () => {
    redis = await startSecureRedis(await freePort());
    env = await createTestEnvironment({ REDIS_URL: redis.url, REDIS_TLS_CA_FILE: redis.caFile });
    recon = await startReconciliation(env);
  });

  afterAll(async () => {
    await recon?.close();
    await env?.destroy();
    await redis?.stop();
  });

  it('runs a reconciliation through its queues there', async () => {
    const order = deliveredOrder('0b1f8e52-4c4e-4c7b-9d55-9a6b7f3c2e10');
    env.fakes.put(order);
    const run = await recon.run({ kind: 'order', orderIds: [order.orderId] });
    expect(run).toMatchObject({ kind: 'order', status: 'completed', ordersChecked: 1, unavailableServices: {} });
  });

  it('keeps the password out of /health', async () => {
    const health = await recon.http('GET', '/health', { apiKey: null });
    expect(JSON.stringify(health.body)).not.toContain(redis.password);
  });
});
