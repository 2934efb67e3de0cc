import type { DataSource } from 'typeorm';

/** Runs one statement on one session and gives its rows (`sessionOf` adapts a pg Client; a TypeORM QueryRunner's `query` fits as is). */
export type SessionQuery = (sql: string, parameters: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** A pg `Client`, or anything with its `query`. */
interface PgClientLike {
  query(sql: string, parameters: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** The statements of a pg Client, as a SessionQuery. */
export const sessionOf = (client: PgClientLike): SessionQuery => async (sql, parameters) => (await client.query(sql, parameters)).rows;

/** What `runHolding` did: the work's result, or that another session held the lock. */
export type ExclusiveOutcome<T> = { ran: true; result: T } | { ran: false };

/**
 * A Postgres session advisory lock: one session (connection) at a time holds it, across every
 * process on the same database. It is let go by `release` or when the session ends, so a process
 * that dies loses it with its connection and another process can take it.
 *
 * Keyed by a number (a constant processes already take: changing it would let an old and a new
 * process hold "the same" lock at once) or by a name, hashed by Postgres (`hashtextextended`).
 */
export class SessionAdvisoryLock {
  private readonly keySql: string;

  constructor(readonly key: number | string) {
    this.keySql = typeof key === 'number' ? '$1::bigint' : 'hashtextextended($1, 0)';
  }

  /** Takes the lock on the session if no other session holds it; false at once otherwise. */
  async tryAcquire(query: SessionQuery): Promise<boolean> {
    const [row] = await query(`SELECT pg_try_advisory_lock(${this.keySql}) AS locked`, [this.key]);
    return row?.['locked'] === true;
  }

  /** Takes the lock on the session, waiting while another session holds it. */
  async acquire(query: SessionQuery): Promise<void> {
    await query(`SELECT pg_advisory_lock(${this.keySql})`, [this.key]);
  }

  async release(query: SessionQuery): Promise<void> {
    await query(`SELECT pg_advisory_unlock(${this.keySql})`, [this.key]);
  }

  /**
   * Runs `work` while holding the lock on a connection of its own, taken from the data source for
   * the work's length and given back after. `wait: false` returns `{ ran: false }` at once when
   * another session holds the lock; `wait: true` waits for it.
   */
  async runHolding<T>(dataSource: DataSource, work: () => Promise<T>, { wait }: { wait: boolean }): Promise<ExclusiveOutcome<T>> {
    const session = dataSource.createQueryRunner();
    await session.connect();
    const query: SessionQuery = (sql, parameters) => session.query(sql, parameters);
    try {
      if (wait) await this.acquire(query);
      else if (!(await this.tryAcquire(query))) return { ran: false };
      try {
        return { ran: true, result: await work() };
      } finally {
        await this.release(query);
      }
    } finally {
      await session.release();
    }
  }
}
