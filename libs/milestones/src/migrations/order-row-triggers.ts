/**
 * Triggers that keep a per-order row's `updated_at` true to every change of the order, whoever
 * makes it: the service, an operator's hand edit, or a bug writing behind the service's back.
 * `GET /milestones?updatedSince=` pages on that column, so a change that does not move it is
 * invisible to the reconciliation service's incremental scan (only the daily full scan would see it).
 *
 * Each service names its tables to `milestoneMigrations` (milestone-migrations.ts).
 * The statements are part of those migrations' meaning: change them only together with a new
 * migration that replaces the triggers, never in place.
 */

import { sqlName as ident } from '../order-table';

/** The table holding one row per order, with an `updated_at` column. */
export interface OrderRowTable {
  table: string;
  /** Its key, as the child tables reference it (`id`, `order_id`, `reservation_id`...). */
  key: string;
  /**
   * A child row may name an order that has no row yet (no foreign key): touching then creates
   * the row (only possible when the key and `updated_at` are its only required columns).
   * @defaultValue false
   */
  createMissing?: boolean;
}

/** A table whose rows feed an order's milestones, and the column naming their order row's key. */
export interface OrderChildTable {
  table: string;
  column: string;
}

export interface OrderRowTriggers {
  up: string[];
  down: string[];
}

/**
 * BEFORE UPDATE on an order row: an UPDATE that does not set `updated_at` itself (a hand edit)
 * gets the time of the change; one that does (the services' own writes) keeps its value.
 * clock_timestamp(), not now(): the later in a transaction, the closer to its commit, which the
 * incremental scan's overlap has to cover.
 */
const BUMP_FUNCTION = `
  CREATE OR REPLACE FUNCTION order_row_bump_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
      NEW.updated_at := clock_timestamp();
    END IF;
    RETURN NEW;
  END $$`;

/**
 * AFTER INSERT / UPDATE / DELETE on a child table, once per statement (a reservation's lines
 * inserted together touch their reservation once): touches the order rows the changed child rows
 * belong to. Arguments: order table, its key, the child's column holding that key, 'create' to
 * insert a missing order row. A row the same transaction already touched (updated_at at or after
 * the transaction's start: the services update the order row beside its children) is left alone,
 * so the services' own writes cost no extra row version.
 */
const TOUCH_FUNCTION = `
  CREATE OR REPLACE FUNCTION order_row_touch() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    order_table  text := TG_ARGV[0];
    order_key    text := TG_ARGV[1];
    child_column text := TG_ARGV[2];
    changed      text := CASE TG_OP
                           WHEN 'INSERT' THEN format('SELECT %I FROM new_rows', child_column)
                           WHEN 'DELETE' THEN format('SELECT %I FROM old_rows', child_column)
                           ELSE format('SELECT %1$I FROM new_rows UNION SELECT %1$I FROM old_rows', child_column)
                         END;
  BEGIN
    IF TG_ARGV[3] = 'create' THEN
      EXECUTE format(
        'INSERT INTO %1$I AS o (%2$I, updated_at) SELECT k, clock_timestamp() FROM (SELECT DISTINCT k FROM (%3$s) AS c (k) WHERE k IS NOT NULL) AS d
           ON CONFLICT (%2$I) DO UPDATE SET updated_at = EXCLUDED.updated_at WHERE o.updated_at < now()',
        order_table, order_key, changed);
    ELSE
      EXECUTE format(
        'UPDATE %1$I SET updated_at = clock_timestamp() WHERE %2$I IN (%3$s) AND updated_at < now()',
        order_table, order_key, changed);
    END IF;
    RETURN NULL;
  END $$`;

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The statements that make every change to `order`'s row or to its `children` move the order's
 * `updated_at` (and, in `down`, undo them). One order table per database: the functions are
 * created and dropped with its triggers.
 */
export function orderRowTriggers(order: OrderRowTable, children: OrderChildTable[]): OrderRowTriggers {
  const table = ident(order.table);
  const up = [BUMP_FUNCTION, TOUCH_FUNCTION];
  const down: string[] = [];
  up.push(`CREATE TRIGGER ${table}_bump_updated_at BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION order_row_bump_updated_at()`);
  down.push(`DROP TRIGGER ${table}_bump_updated_at ON ${table}`);
  const args = [table, ident(order.key)].map(quoted);
  for (const child of children) {
    const childTable = ident(child.table);
    const argList = [...args, quoted(ident(child.column)), quoted(order.createMissing ? 'create' : 'touch')].join(', ');
    const events = [
      ['insert', 'INSERT', 'NEW TABLE AS new_rows'],
      ['update', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['delete', 'DELETE', 'OLD TABLE AS old_rows'],
    ] as const;
    for (const [suffix, event, transition] of events) {
      const name = `${childTable}_touches_${table}_on_${suffix}`;
      up.push(`CREATE TRIGGER ${name} AFTER ${event} ON ${childTable} REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION order_row_touch(${argList})`);
      down.push(`DROP TRIGGER ${name} ON ${childTable}`);
    }
  }
  down.push('DROP FUNCTION order_row_touch()', 'DROP FUNCTION order_row_bump_updated_at()');
  return { up, down };
}
