import { type RunningStack, startStack } from '@commerce/stack';
import { createTestDatabase, createTestTopics, deleteTestTopics, eventually, repoRoot, type SecuredInfra, startSecuredInfra, type TestDatabase, uniqueName } from '@commerce/testing';
import path from 'node:path';
import { type Line, type Order, StackApi } from './support/api';
import { E2E_SECURE, E2E_SERVICES, type E2eService } from './support/e2e-stack';

/**
 * Two replicas of each of the five services, in one consumer group per service and on one database
 * per service, under a stream of orders; the second replica of every service is SIGKILLed while
 * orders flow, and the stack runner restarts it. Every order must still end DELIVERED with each
 * effect applied once: stock, capture, shipments and notifications.
 */
jest.setTimeout(600_000);

const ORDERS = 24;
const KILL_AFTER = 8;
const STOCK = 1000;
const settle = <T>(assertion: () => Promise<T>) => eventually(assertion, { timeoutMs: 180_000, intervalMs: 500 });

describe('when every service runs as two replicas and one of each is killed mid-traffic', () => {
  const topicPrefix = `${uniqueName('replicas')}.`;
  const databases = new Map<E2eService, TestDatabase>();
  const reports: string[] = [];
  let stack: RunningStack;
  let api: StackApi;
  let secured: SecuredInfra | null = null;

  beforeAll(async () => {
    if (E2E_SECURE) secured = await startSecuredInfra();
    for (const service of E2E_SERVICES) databases.set(service, await createTestDatabase(`${service.replace(/-service$/, '')}_rep`, secured?.postgres.url));
    await createTestTopics(topicPrefix);
    stack = await startStack({
      services: [...E2E_SERVICES],
      replicas: 2,
      topicPrefix,
      databases: Object.fromEntries([...databases].map(([service, db]) => [service, db.name])),
      createDatabases: false,
      ports: Object.fromEntries(E2E_SERVICES.map((service) => [service, 0])),
      logDir: path.join(repoRoot, 'test-artifacts', 'e2e', topicPrefix.slice(0, -1)),
      env: { ...secured?.env, AUTO_DISPATCH_SECONDS: '1', AUTO_DELIVER_SECONDS: '1', AUTO_SWEEP_INTERVAL_MS: '300' },
      healthTimeoutMs: 240_000,
      restartBackoffMs: 500,
      report: (message) => reports.push(message),
    });
    // Customers and the warehouse talk to the first replicas; the second ones work through Kafka.
    api = new StackApi(Object.fromEntries(E2E_SERVICES.map((service) => [service, stack.urls[service]])) as Record<E2eService, string>, stack.apiKeys.operator);
  }, 400_000);

  afterAll(async () => {
    await stack?.stop();
    if (secured) await secured.stop();
    else await Promise.all([...databases.values()].map((db) => db.drop()));
    await deleteTestTopics(topicPrefix);
  }, 120_000);

  it('delivers every order with each effect once, and the killed replicas come back', async () => {
    const mug = uniqueName('SKU-MUG').toUpperCase();
    const tee = uniqueName('SKU-TEE').toUpperCase();
    await api.setStock(mug, 'wh-berlin', STOCK);
    await api.setStock(tee, 'wh-hamburg', STOCK);
    const lines: Line[] = [
      { sku: mug, quantity: 2, unitPriceMinor: 1250 },
      { sku: tee, quantity: 1, unitPriceMinor: 2500 },
    ];

    const placed: Order[] = [];
    for (let i = 0; i < ORDERS; i++) {
      if (i === KILL_AFTER) for (const service of E2E_SERVICES) stack.kill(`${service}#2`);
      placed.push(await api.placeOrder(lines));
    }

    await settle(async () => {
      const statuses = await Promise.all(placed.map(async (o) => (await api.order(o.orderId)).status));
      expect(statuses.filter((s) => s !== 'DELIVERED')).toEqual([]);
    });
    await settle(async () => expect(stack.status().filter((i) => i.state !== 'running')).toEqual([]));

    for (const order of placed) {
      const shipments = await api.shipments(order.orderId);
      expect(shipments.map((s) => [s.node, s.status]).sort()).toEqual([['wh-berlin', 'DELIVERED'], ['wh-hamburg', 'DELIVERED']]);
      expect((await api.payment(order.orderId)).facts['capturedMinor']).toBe(order.totalMinor);
      await settle(async () => expect(await api.notificationCounts(order.orderId)).toEqual({ confirmed: 1, dispatched: 1, delivered: 1 }));
    }
    expect(await api.stock(mug)).toMatchObject({ onHand: STOCK - 2 * ORDERS, reserved: 0 });
    expect(await api.stock(tee)).toMatchObject({ onHand: STOCK - ORDERS, reserved: 0 });

    for (const service of E2E_SERVICES) {
      expect(reports.some((r) => r.startsWith(`${service}#2 (pid `) && r.includes('died: killed by SIGKILL'))).toBe(true);
      expect(stack.status().find((i) => i.name === `${service}#2`)).toMatchObject({ state: 'running', restarts: 1 });
    }
  });
});
