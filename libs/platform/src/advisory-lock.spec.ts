import { SessionAdvisoryLock, type SessionQuery, sessionOf } from './advisory-lock';

/** A session that answers the statements it expects, in order; any other statement fails the test. */
function strictSession(expected: Array<{ sql: string; parameters: unknown[]; rows?: Array<Record<string, unknown>> }>): SessionQuery & { left: () => number } {
  const queue = [...expected];
  const query = async (sql: string, parameters: unknown[]) => {
    const next = queue.shift();
    expect({ sql, parameters }).toEqual({ sql: next?.sql, parameters: next?.parameters });
    return next?.rows ?? [];
  };
  return Object.assign(query, { left: () => queue.length });
}

describe('SessionAdvisoryLock', () => {
  it('takes a numeric key as the bigint it is, so processes already deployed with it share the lock', async () => {
    const session = strictSession([{ sql: 'SELECT pg_try_advisory_lock($1::bigint) AS locked', parameters: [7_231_554_902], rows: [{ locked: true }] }]);
    expect(await new SessionAdvisoryLock(7_231_554_902).tryAcquire(session)).toBe(true);
    expect(session.left()).toBe(0);
  });

  it('hashes a name in Postgres', async () => {
    const session = strictSession([
      { sql: 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', parameters: ['shop:sweep'], rows: [{ locked: false }] },
      { sql: 'SELECT pg_advisory_lock(hashtextextended($1, 0))', parameters: ['shop:sweep'] },
      { sql: 'SELECT pg_advisory_unlock(hashtextextended($1, 0))', parameters: ['shop:sweep'] },
    ]);
    const lock = new SessionAdvisoryLock('shop:sweep');
    expect(await lock.tryAcquire(session)).toBe(false);
    await lock.acquire(session);
    await lock.release(session);
    expect(session.left()).toBe(0);
  });

  it('reads a pg Client through sessionOf', async () => {
    const client = { query: jest.fn(async () => ({ rows: [{ locked: true }] })) };
    expect(await new SessionAdvisoryLock(1).tryAcquire(sessionOf(client))).toBe(true);
    expect(client.query).toHaveBeenCalledWith('SELECT pg_try_advisory_lock($1::bigint) AS locked', [1]);
  });
});
