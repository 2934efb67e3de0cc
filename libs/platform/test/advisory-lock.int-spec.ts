// The session advisory lock the outbox relay leads with and ExclusiveWork and migrations run under,
// on a real Postgres database of this suite's own.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrlFor, SessionAdvisoryLock, sessionOf } from '../src';

const serverUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function connected(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('SessionAdvisoryLock, held by sessions of two processes', () => {
  const name = `t_advisory_${randomUUID().slice(0, 8)}`;
  let server: Client;
  const sessions: Client[] = [];
  const session = async () => {
    const client = await connected(databaseUrlFor(serverUrl, name));
    sessions.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await connected(serverUrl);
    await server.query(`CREATE DATABASE "${name}"`);
  });

  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.end().catch(() => undefined)));
    await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await server.end();
  });

  it.each([['a numeric key', 7_231_554_902], ['a name', 'shop:relay']] as const)('with %s, one session holds it until it lets go', async (_, key) => {
    const lock = new SessionAdvisoryLock(key);
    const [a, b] = [sessionOf(await session()), sessionOf(await session())];
    expect(await lock.tryAcquire(a)).toBe(true);
    expect(await lock.tryAcquire(b)).toBe(false);
    await lock.release(a);
    expect(await lock.tryAcquire(b)).toBe(true);
    await lock.release(b);
  });

  it('is let go when the holding session ends, as when its process dies', async () => {
    const lock = new SessionAdvisoryLock(7_231_554_903);
    const holder = await session();
    const standby = sessionOf(await session());
    expect(await lock.tryAcquire(sessionOf(holder))).toBe(true);
    expect(await lock.tryAcquire(standby)).toBe(false);
    await holder.end();
    expect(await lock.tryAcquire(standby)).toBe(true);
    await lock.release(standby);
  });

  it('makes acquire wait while another session holds it', async () => {
    const lock = new SessionAdvisoryLock('shop:migrations');
    const [a, b] = [sessionOf(await session()), sessionOf(await session())];
    await lock.acquire(a);
    let bHolds = false;
    const waiting = lock.acquire(b).then(() => (bHolds = true));
    // b's statement reaches Postgres and waits there on the lock, for as long as a holds it.
    while ((await server.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event = 'advisory'`, [name])).rowCount === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(bHolds).toBe(false);
    await lock.release(a);
    await waiting;
    expect(bHolds).toBe(true);
    await lock.release(b);
  });
});
