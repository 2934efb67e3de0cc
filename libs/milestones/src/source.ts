import type { OrderMilestones } from '@commerce/contracts';

/** What the milestones machinery needs from a database connection (a TypeORM DataSource, EntityManager or QueryRunner fits). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** A connection that can also run a transaction (a TypeORM DataSource or EntityManager fits). */
export interface TransactionalQueryable extends Queryable {
  transaction<R>(isolation: 'REPEATABLE READ' | 'READ COMMITTED', run: (db: Queryable) => Promise<R>): Promise<R>;
}

/**
 * A service's `GET /milestones`, described: the one table where it keeps a row per order (the
 * order-row triggers keep its `updated_at` true to every change of the order), and its own
 * derivation of an order's item. Everything else (paging, documents, refresher, controller) is
 * the same in every service.
 */
export interface MilestonesSource {
  /** The service's name, as its pages carry it (`SERVICES` of @commerce/contracts). */
  service: string;
  /** The table with one row per order, with an indexed `updated_at`. */
  table: string;
  /** Its orderId column. */
  orderIdColumn: string;
  /** `uuid`: the column is of type uuid (uuid order is the byte order of its text). @defaultValue 'text' */
  orderIdType?: 'uuid' | 'text';
  /**
   * The service's own derivation of these orders' items, on the connection given (always one
   * snapshot: read child rows one query after the other on it, never on other connections).
   * Unknown ids are left out; the items may come in any order.
   */
  derive(db: Queryable, orderIds: string[]): Promise<OrderMilestones[]>;
  /** What the OpenAPI description of its `GET /milestones` says of it. */
  openApi: {
    /** One line: what the service's items tell. */
    summary: string;
    /** The statuses its items take. */
    statuses: readonly string[];
    /** The facts its items carry. */
    facts: string;
  };
}
