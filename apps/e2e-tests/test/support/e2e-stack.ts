import path from 'node:path';
import { ALL_TOPICS } from '@commerce/contracts';
import { createTestDatabase, repoRoot, type TestDatabase, uniqueName } from '@commerce/testing';
// The same starter `npm start` uses (stack.mjs is a thin ESM face over it). It is CommonJS, so this
// CommonJS suite can require it without jest's experimental VM modules; tools/ is no Nx project,
// so it is loaded by path at run time rather than imported.
type StackModule = typeof import('../../../../tools/stack/stack.cjs');
const { deleteTopics, startStack }: StackModule = require(path.join(repoRoot, 'tools', 'stack', 'stack.cjs'));
type RunningStack = Awaited<ReturnType<StackModule['startStack']>>;

export const E2E_SERVICES = ['order-service', 'inventory-service', 'payment-service', 'shipment-service', 'notification-service'] as const;
export type E2eService = (typeof E2E_SERVICES)[number];

export interface E2eStack {
  urls: Record<E2eService, string>;
  /** Every topic name is `prefix + commerce.<domain>.events`. */
  topicPrefix: string;
  /** Where each service's output goes (`<name>.log`). */
  logDir: string;
  stop(): Promise<void>;
}

/**
 * The five services as real processes on free ports, each on a fresh database of its own and all
 * on topics of their own (3 partitions), so the suite shares nothing with other runs.
 */
export async function startE2eStack(env: Record<string, string> = {}): Promise<E2eStack> {
  const topicPrefix = `${uniqueName('e2e')}.`;
  const logDir = path.join(repoRoot, 'test-artifacts', 'e2e', topicPrefix.slice(0, -1));
  const databases = new Map<E2eService, TestDatabase>();
  let running: RunningStack;
  const dropDatabases = () => Promise.all([...databases.values()].map((db) => db.drop()));
  try {
    for (const service of E2E_SERVICES) databases.set(service, await createTestDatabase(service.replace(/-service$/, '')));
    running = await startStack({
      services: [...E2E_SERVICES],
      topicPrefix,
      createTopics: { topics: ALL_TOPICS, partitions: 3 },
      databases: Object.fromEntries([...databases].map(([service, db]) => [service, db.name])),
      createDatabases: false,
      ports: Object.fromEntries(E2E_SERVICES.map((s) => [s, 0])),
      logDir,
      logLevel: process.env['LOG_LEVEL'] ?? 'info',
      env,
    });
  } catch (error) {
    await dropDatabases();
    await deleteTopics({ topics: ALL_TOPICS, prefix: topicPrefix });
    throw error;
  }
  const stack = running;
  return {
    urls: Object.fromEntries(E2E_SERVICES.map((s) => [s, stack.urls[s]])) as Record<E2eService, string>,
    topicPrefix,
    logDir,
    async stop() {
      await stack.stop();
      await dropDatabases();
      await deleteTopics({ topics: ALL_TOPICS, prefix: topicPrefix });
    },
  };
}
