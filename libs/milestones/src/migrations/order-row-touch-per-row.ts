/**
 * The order-row triggers' touch (order-row-triggers.ts), made cheap on the write path: one
 * function per child table with its statements written out, fired per row, instead of one
 * generic function per statement that built its SQL with format() and EXECUTE. Postgres planned
 * that SQL again on every insert of a fact, a line or a notification, and kept a transition table
 * for it; a static statement is planned once per connection. What it does is unchanged: every
 * change of a child row moves its order row's `updated_at`, unless the same transaction already did.
 */

import { sqlName as ident } from '../order-table';
import type { MigrationStatements } from './document-statements';
import type { OrderChildTable, OrderRowTable } from './order-row-triggers';

const EVENTS = [
  ['insert', 'INSERT', 'NEW TABLE AS new_rows'],
  ['update', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
  ['delete', 'DELETE', 'OLD TABLE AS old_rows'],
] as const;

/** The statement that touches the order row keyed `value` (NEW.x or OLD.x). */
function touch(order: OrderRowTable, value: string): string {
  const table = ident(order.table);
  const key = ident(order.key);
  return order.createMissing
    ? `INSERT INTO ${table} AS o (${key}, updated_at) VALUES (${value}, clock_timestamp())
         ON CONFLICT (${key}) DO UPDATE SET updated_at = EXCLUDED.updated_at WHERE o.updated_at < now();`
    : `UPDATE ${table} SET updated_at = clock_timestamp() WHERE ${key} = ${value} AND updated_at < now();`;
}

export function orderRowTouchPerRow(order: OrderRowTable, children: OrderChildTable[]): MigrationStatements {
  const table = ident(order.table);
  const up: string[] = [];
  const down: string[] = [];
  const quoted = [table, ident(order.key)].map((name) => `'${name}'`);
  for (const child of children) {
    const childTable = ident(child.table);
    const column = ident(child.column);
    const fn = `${childTable}_touches_${table}`;
    up.push(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'DELETE' AND NEW.${column} IS NOT NULL THEN
          ${touch(order, `NEW.${column}`)}
        END IF;
        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.${column} IS DISTINCT FROM NEW.${column}) THEN
          IF OLD.${column} IS NOT NULL THEN
            ${touch(order, `OLD.${column}`)}
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    up.push(`CREATE TRIGGER ${fn} AFTER INSERT OR UPDATE OR DELETE ON ${childTable} FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    const args = [...quoted, `'${column}'`, `'${order.createMissing ? 'create' : 'touch'}'`].join(', ');
    for (const [suffix, event, transition] of EVENTS) {
      const name = `${childTable}_touches_${table}_on_${suffix}`;
      up.push(`DROP TRIGGER ${name} ON ${childTable}`);
      down.push(`CREATE TRIGGER ${name} AFTER ${event} ON ${childTable} REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION order_row_touch(${args})`);
    }
    down.push(`DROP TRIGGER ${fn} ON ${childTable}`, `DROP FUNCTION ${fn}()`);
  }
  return { up, down };
}
