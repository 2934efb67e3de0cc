import type { MilestonesSource } from './source';

const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;

/** A table or column name checked to be a plain lower-case SQL name (so it can go into SQL text as it is). */
export function sqlName(name: string): string {
  if (!PLAIN_NAME.test(name)) throw new Error(`${name} is not a plain lower-case SQL name`);
  return name;
}

/** A uuid as Postgres prints it: for these, uuid order is the byte order of the text. */
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * SQL on a service's per-order table, aliased `o`, and its documents `d`: a uuid orderId column is
 * compared as uuid (uuid order is the byte order of its text), a text one in byte order (COLLATE "C").
 */
export class OrderTable {
  readonly table: string;
  readonly column: string;
  readonly uuid: boolean;

  constructor(source: Pick<MilestonesSource, 'table' | 'orderIdColumn' | 'orderIdType'>) {
    this.table = sqlName(source.table);
    this.column = sqlName(source.orderIdColumn);
    this.uuid = source.orderIdType === 'uuid';
  }

  /** The column's SQL type. */
  get type(): 'uuid' | 'text' {
    return this.uuid ? 'uuid' : 'text';
  }

  /**
   * The document of the per-order row `o`: keyed by the same type (uuid, or text in byte order),
   * so Postgres can merge the two in orderId order.
   */
  get documentOfRow(): string {
    return this.uuid ? `d.order_id = o.${this.column}` : `d.order_id = o.${this.column} COLLATE "C"`;
  }

  /** The orderId column as text. */
  get orderIdText(): string {
    return this.uuid ? `o.${this.column}::text` : `o.${this.column}`;
  }

  /** ORDER BY orderId in byte order. */
  get byteOrder(): string {
    return this.uuid ? `o.${this.column}` : `o.${this.column} COLLATE "C"`;
  }

  /**
   * The per-order rows of these orderIds ($1), by the column's own index: a uuid column compared as
   * text would be read whole (ids that are no uuid name no order there).
   */
  ofOrders(orderIds: readonly string[]): { where: string; ids: string[] } {
    if (this.uuid) return { where: `o.${this.column} = ANY($1::uuid[])`, ids: orderIds.filter((id) => CANONICAL_UUID.test(id)) };
    return { where: `o.${this.column} = ANY($1::text[])`, ids: [...orderIds] };
  }

  /** `WHERE` of a keyset position in orderId byte order (`position`: a parameter or a literal). */
  after(afterOrderId: string | null, position: string): string {
    if (afterOrderId === null) return '';
    if (this.uuid) return CANONICAL_UUID.test(afterOrderId) ? `WHERE o.${this.column} > ${position}::uuid` : `WHERE o.${this.column}::text > ${position}::text COLLATE "C"`;
    return `WHERE o.${this.column} > ${position} COLLATE "C"`;
  }

  /**
   * The same position on the documents' side of the join: without it the merge would read the
   * documents' index from its start on every page.
   */
  documentsAfter(afterOrderId: string | null, position: string): string {
    if (afterOrderId === null) return '';
    if (this.uuid) return CANONICAL_UUID.test(afterOrderId) ? `AND d.order_id > ${position}::uuid` : `AND d.order_id::text > ${position}::text COLLATE "C"`;
    return `AND d.order_id > ${position}`;
  }
}
