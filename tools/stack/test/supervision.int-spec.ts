// The stack runner as `npm start` uses it, with a real app (the notification service, on a database
// and topics of this suite's own): a process killed from outside is reported, restarted, and shown.
import { createTestDatabase, createTestTopics, deleteTestTopics, eventually, type TestDatabase, uniqueName } from '@commerce/testing';
import { type RunningStack, serveStackStatus, type StackOptions, startStack } from '../src';

jest.setTimeout(180_000);

const APP = 'notification-service';

describe('supervision of the stack', () => {
  const topicPrefix = `${uniqueName('supervision')}.`;
  let database: TestDatabase;
  let stack: RunningStack | null = null;
  const reports: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('supervision');
    await createTestTopics(topicPrefix);
  });

  afterEach(async () => {
    await stack?.stop();
    stack = null;
    reports.length = 0;
  });

  afterAll(async () => {
    await database?.drop();
    await deleteTestTopics(topicPrefix);
  });

  const start = (options: Partial<StackOptions>) =>
    startStack({
      services: [APP],
      topicPrefix,
      databases: { [APP]: database.name },
      createDatabases: false,
      ports: { [APP]: 0 },
      silent: true,
      report: (message) => reports.push(message),
      ...options,
    });

  describe('when a service is killed from outside', () => {
    it('reports the death with its signal, restarts it and says so', async () => {
      stack = await start({ restartBackoffMs: 100 });
      const [before] = stack.status();
      process.kill(before!.pid, 'SIGKILL');

      await eventually(() => expect(reports).toContain(`${APP} (pid ${before!.pid}) died: killed by SIGKILL; restarting in 0.1 s`));
      const after = await eventually(
        () => {
          const [now] = stack!.status();
          expect(now).toMatchObject({ state: 'running', restarts: 1, lastDeath: { signal: 'SIGKILL', code: null } });
          return now!;
        },
        { timeoutMs: 90_000, intervalMs: 250 },
      );
      expect(after.pid).not.toBe(before!.pid);
      expect(reports.some((r) => r.startsWith(`${APP} is back (pid ${after.pid}`))).toBe(true);
      expect((await fetch(`${after.url}/health`)).status).toBe(200);
    });
  });

  describe("through the stack's status endpoint", () => {
    it('shows a dead service as restarting (503), and POST /restart/<name> starts it at once', async () => {
      stack = await start({ restartBackoffMs: 600_000, maxRestartBackoffMs: 600_000 }); // no restart of its own during this test
      const status = await serveStackStatus(stack, 0);
      try {
        expect((await fetch(`${status.url}/health`)).status).toBe(200);
        stack.kill('notification');
        await eventually(() => expect(reports.some((r) => r.includes('died: killed by SIGKILL; restarting in 600.0 s'))).toBe(true));

        const degraded = await fetch(`${status.url}/health`);
        expect(degraded.status).toBe(503);
        expect(await degraded.json()).toMatchObject({ status: 'degraded', instances: [{ name: APP, state: 'restarting', pid: 0 }] });

        const restarted = await fetch(`${status.url}/restart/notification`, { method: 'POST' });
        expect(restarted.status).toBe(200);
        expect(await restarted.json()).toMatchObject({ restarted: 'notification', instances: [{ name: APP, state: 'running', restarts: 1 }] });
        expect((await fetch(`${status.url}/health`)).status).toBe(200);

        const unknown = await fetch(`${status.url}/restart/warehouse`, { method: 'POST' });
        expect(unknown.status).toBe(404);
      } finally {
        await status.close();
      }
    });
  });
});
