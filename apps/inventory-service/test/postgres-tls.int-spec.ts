import { Client } from 'pg';
import { databaseUrlFor } from '@commerce/platform';
import { freePort, type SecurePostgres, type ServiceUnderTest, startSecurePostgres, startServiceUnderTest, uniqueName } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { inventoryService } from '../src/service';

jest.setTimeout(180_000);

/** What the process writes to stdout and stderr while a suite runs: its logs. */
function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const tap = (original: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = tap(originals.out);
  process.stderr.write = tap(originals.err);
  return {
    text: () => chunks.join(''),
    restore: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

/**
 * The inventory service on a Postgres that accepts only TLS connections with a password (SCRAM),
 * verified against a private CA (`sslmode=verify-full&sslrootcert=`): all of it said in DATABASE_URL.
 */
describe('the inventory service on Postgres with TLS and a password', () => {
  let postgres: SecurePostgres;
  let inventory: ServiceUnderTest;
  let database: string;
  const output = captureOutput();

  beforeAll(async () => {
    postgres = await startSecurePostgres(await freePort());
    database = uniqueName('inventory_tls');
    const admin = new Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    inventory = await startServiceUnderTest({
      ...inventoryService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      env: { DATABASE_URL: databaseUrlFor(postgres.url, database), LOG_LEVEL: 'debug' },
    });
  });

  afterAll(async () => {
    await inventory?.close();
    output.restore();
    await postgres?.stop();
  });

  it('works over TLS: stock set and read, its own session encrypted', async () => {
    const sku = uniqueName('MUG');
    expect((await inventory.http('PUT', `/stock/${sku}/wh-berlin`, { body: { onHand: 4 } })).status).toBe(200);
    expect((await inventory.http('GET', `/stock/${sku}`)).body).toMatchObject({ onHand: 4 });
    const [session] = await inventory.dataSource.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    expect(session).toEqual({ ssl: true });
  });

  it('is on a server that refuses a connection without TLS', async () => {
    const plain = new Client({ connectionString: postgres.url.replace('sslmode=verify-full', 'sslmode=disable') });
    await expect(plain.connect()).rejects.toThrow(/no pg_hba.conf entry.*no encryption/);
  });

  it('never shows the password: not in /health, nor in a failed start-up, nor in the logs', async () => {
    const health = await inventory.http('GET', '/health', { apiKey: null });
    expect(health.status).toBe(200);
    expect(JSON.stringify(health.body)).not.toContain(postgres.password);

    const wrong = postgres.url.replace(encodeURIComponent(postgres.password), 'not-the-password');
    const failure: Error = await startServiceUnderTest({
      ...inventoryService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      env: { DATABASE_URL: databaseUrlFor(wrong, database) },
    }).then(
      () => {
        throw new Error('it started');
      },
      (error: Error) => error,
    );
    expect(failure.message).toMatch(/password authentication failed/);
    expect(`${failure.message}\n${failure.stack}`).not.toContain('not-the-password');

    expect(output.text().length).toBeGreaterThan(0);
    expect(output.text()).not.toContain(postgres.password);
    expect(output.text()).not.toContain(encodeURIComponent(postgres.password));
  });
});
