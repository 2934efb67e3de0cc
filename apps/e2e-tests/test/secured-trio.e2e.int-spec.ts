import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { StackApi } from './support/api';
import { type E2eStack, startE2eStack } from './support/e2e-stack';
import { deliverHappyOrder } from './support/happy-order';
import { ReconciliationApi } from './support/reconciliation-api';

/**
 * One order through the five services and a reconciliation run on the secured trio, as a managed
 * deployment has it: Kafka over SASL_SSL (SCRAM), Postgres with a password over TLS only, Redis
 * with a password over TLS only, and API keys on every call. Part of `npm test`; the whole e2e
 * suite on the trio is `npm run test:e2e:secure`.
 */
jest.setTimeout(300_000);

describe('on Kafka over SASL_SSL, Postgres and Redis over TLS with passwords', () => {
  let stack: E2eStack;
  let api: StackApi;
  let recon: ReconciliationApi;

  beforeAll(async () => {
    // Info logs: the start-up lines name every server they connect to, where a password would leak.
    stack = await startE2eStack({
      secure: true,
      env: { LOG_LEVEL: 'info' },
      reconciliation: { LOG_LEVEL: 'info', INCREMENTAL_SCAN_EVERY_MS: '0', FULL_SCAN_EVERY_MS: '0' },
    });
    api = new StackApi(stack.urls, stack.apiKeys.operator);
    recon = new ReconciliationApi(stack.reconciliation!);
  }, 400_000);

  afterAll(async () => {
    await stack?.stop();
  }, 90_000);

  let orderId: string;

  it('delivers an order: placed, confirmed, dispatched, captured, delivered, each notification once', async () => {
    orderId = (await deliverHappyOrder(api)).orderId;
  });

  it('the reconciliation service checks it through its queues on the TLS Redis and finds nothing wrong', async () => {
    const run = await recon.run('order', [orderId]);
    expect(run).toMatchObject({ status: 'completed', ordersChecked: 1, unavailableServices: {} });
    expect(await recon.cases({ orderId })).toEqual([]);
  });

  it('every app holds its Postgres connections over TLS, as the password user', async () => {
    const admin = new Client({ connectionString: stack.securedInfra!.postgres.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string; usename: string; ssl: boolean }>(
        `SELECT a.datname, a.usename, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
          WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND a.datname LIKE 't\\_%'`,
      );
      expect(new Set(rows.map((row) => row.datname.replace(/_[0-9a-f]{8}$/, ''))).size).toBe(6); // five services and the reconciliation service
      expect(rows.filter((row) => !row.ssl || row.usename !== stack.securedInfra!.postgres.user)).toEqual([]);
    } finally {
      await admin.end();
    }
  });

  it('no app wrote a password of the trio to its log', () => {
    const infra = stack.securedInfra!;
    const secrets = [infra.postgres.password, infra.redis!.password, infra.env['KAFKA_SASL_PASSWORD'] as string];
    const logs = readdirSync(stack.logDir).filter((file) => file.endsWith('.log'));
    expect(logs).toHaveLength(6);
    for (const file of logs) {
      const text = readFileSync(path.join(stack.logDir, file), 'utf8');
      expect(text.length).toBeGreaterThan(0);
      for (const secret of secrets) expect([file, text.includes(secret)]).toEqual([file, false]);
    }
  });
});
