import type { DataSource } from 'typeorm';

/** What `tryRun` did: the work's result, or that another process held the lock. */
export type ExclusiveOutcome<T> = { ran: true; result: T } | { ran: false };

/**
 * Work that one process at a time does across a service's replicas (a periodic sweep): a Postgres
 * session advisory lock named after it, tried on a connection held for the work's length. A
 * replica that dies loses its connection and with it the lock, so the next round of another takes over.
 */
export class ExclusiveWork {
  constructor(
    private readonly dataSource: DataSource,
    /** The lock's name, unique within the database (`shipment:auto-dispatch`). */
    readonly name: string,
  ) {}

  /** Runs `work` unless another process holds the lock, in which case it returns `{ ran: false }` at once. */
  async tryRun<T>(work: () => Promise<T>): Promise<ExclusiveOutcome<T>> {
    const session = this.dataSource.createQueryRunner();
    await session.connect();
    try {
      const [{ locked }]: Array<{ locked: boolean }> = await session.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [this.name]);
      if (!locked) return { ran: false };
      try {
        return { ran: true, result: await work() };
      } finally {
        await session.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.name]);
      }
    } finally {
      await session.release();
    }
  }
}
