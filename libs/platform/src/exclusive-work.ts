import type { DataSource } from 'typeorm';
import { type ExclusiveOutcome, SessionAdvisoryLock } from './advisory-lock';

/**
 * Work that one process at a time does across a service's replicas (a periodic sweep): a Postgres
 * session advisory lock named after it, tried on a connection held for the work's length. A
 * replica that dies loses its connection and with it the lock, so the next round of another takes over.
 */
export class ExclusiveWork {
  private readonly lock: SessionAdvisoryLock;

  constructor(
    private readonly dataSource: DataSource,
    /** The lock's name, unique within the database (`shipment:auto-dispatch`). */
    readonly name: string,
  ) {
    this.lock = new SessionAdvisoryLock(name);
  }

  /** Runs `work` unless another process holds the lock, in which case it returns `{ ran: false }` at once. */
  tryRun<T>(work: () => Promise<T>): Promise<ExclusiveOutcome<T>> {
    return this.lock.runHolding(this.dataSource, work, { wait: false });
  }
}
