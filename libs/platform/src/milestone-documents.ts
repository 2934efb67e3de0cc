import { type Provider, StreamableFile, type Type } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { z } from 'zod';
import {
  COMPACT_CONTENT_TYPE,
  COMPACT_FORMAT,
  type CompactOrderMilestones,
  compactOrderMilestones,
  type CompactPageHeader,
  compactPageText,
  expandOrderMilestones,
  type MilestonesPage,
  type OrderMilestones,
} from '@commerce/contracts';
import { CopyBinaryFormatError, CopyBinaryReader, type CopyRow } from './copy-binary';
import { createLogger, type Logger } from './logger';
import { metricsRegistry } from './metrics';
import type { Queryable } from './milestone-rows';
import type { LiveMilestonesSelection, MilestonesFormat, MilestonesSelection } from './milestones-query';

/**
 * Milestone documents: each order's `GET /milestones` item as the service itself last derived it,
 * kept as JSON text in the service's own database, so the full scan's range mode reads one text
 * column per order instead of deriving a million orders live (the derivation stays the service's
 * code, written once; this is a cache of its output, never a second derivation). Documents are
 * stored in the contract's compact form (@commerce/contracts milestones-compact.ts), the one the
 * reconciliation service asks for, so its pages pass them on as they are; a full-form page expands them.
 *
 * A document is served only while it is current. Every change of the order's per-order row, whoever
 * makes it, runs a trigger that empties the document and counts up its `generation`
 * (`milestoneDocumentGenerationStatements`; `ENABLE ALWAYS`, so it fires under
 * `session_replication_role = replica` too), and the order-row triggers (order-row-triggers.ts)
 * change that row on every change of a child row. A refresh stores what it derived only if the
 * generation is still the one it read in the snapshot it derived from, so a change that commits in
 * between is never covered up. An empty document is derived live: a stale document costs time,
 * never a wrong answer. The range mode so reads the per-order table's index alone (an index-only
 * scan), not its rows: checking each row's `xmin` there was most of Postgres' time in a full scan
 * (a random heap read per order: 51 of 66 ms for a page of 5000).
 *
 * The document also records the per-order row's `xmin` it was derived from, which the sweep
 * compares (it reads the rows anyway): a hand edit made with the triggers disabled
 * (`ALTER TABLE ... DISABLE TRIGGER`) is served stale until the next sweep, then derived again.
 * What it cannot see: a child row changed with the order-row triggers off (`session_replication_role
 * = replica`), which the incremental scan cannot see either.
 */

/** Where a service keeps one row per order, and how /milestones derives an order's item. */
export interface MilestoneDocumentSource<T extends OrderMilestones> {
  /** The table with one row per order (the one the order-row triggers touch). */
  table: string;
  /** Its orderId column. */
  orderIdColumn: string;
  /** `uuid`: the column is of type uuid (uuid order is the byte order of its text). @defaultValue 'text' */
  orderIdType?: 'uuid' | 'text';
  /** The service's own derivation of these orders' items, on the connection given (unknown ids are left out). */
  derive(db: Queryable, orderIds: string[]): Promise<T[]>;
}

/** The table of documents (one per database, whatever the service). */
export const MILESTONE_DOCUMENT_TABLE = 'milestone_document';

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${name} is not a plain lower-case SQL name`);
  return name;
};

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Whether the document `d` of the per-order row `o` is current: not emptied by a change, and
 * derived from the row as it is (which also catches an edit made with the triggers disabled).
 */
const CURRENT = `(d.body IS NOT NULL AND d.source_xmin IS NOT DISTINCT FROM o.xmin::text::bigint)`;

/** A uuid as Postgres prints it: for these, uuid order is the byte order of the text. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class MilestoneDocuments<T extends OrderMilestones> {
  private readonly table: string;
  private readonly column: string;
  private readonly uuid: boolean;

  constructor(private readonly source: MilestoneDocumentSource<T>) {
    this.table = ident(source.table);
    this.column = ident(source.orderIdColumn);
    this.uuid = source.orderIdType === 'uuid';
  }

  /**
   * The document of the per-order row `o`: keyed by the same type (uuid, or text in byte order),
   * so Postgres can merge the two in orderId order.
   */
  private get documentOfRow(): string {
    return this.uuid ? `d.order_id = o.${this.column}` : `d.order_id = o.${this.column} COLLATE "C"`;
  }

  /** The orderId column as text. */
  private get orderIdText(): string {
    return this.uuid ? `o.${this.column}::text` : `o.${this.column}`;
  }

  /**
   * The per-order rows of these orderIds ($1), by the column's own index: a uuid column compared as
   * text would be read whole (ids that are no uuid name no order there).
   */
  private ofOrders(orderIds: readonly string[]): { where: string; ids: string[] } {
    if (this.uuid) return { where: `o.${this.column} = ANY($1::uuid[])`, ids: orderIds.filter((id) => CANONICAL_UUID.test(id)) };
    return { where: `o.${this.column} = ANY($1::text[])`, ids: [...orderIds] };
  }

  /** `WHERE` of a keyset position in orderId byte order ($2: the position). */
  private after(afterOrderId: string | null): string {
    if (afterOrderId === null) return '';
    if (this.uuid) return CANONICAL_UUID.test(afterOrderId) ? `WHERE o.${this.column} > $2::uuid` : `WHERE o.${this.column}::text > $2::text COLLATE "C"`;
    return `WHERE o.${this.column} > $2 COLLATE "C"`;
  }

  /**
   * The same position on the documents' side of the join: without it the merge would read the
   * documents' index from its start on every page.
   */
  private documentsAfter(afterOrderId: string | null): string {
    if (afterOrderId === null) return '';
    if (this.uuid) return CANONICAL_UUID.test(afterOrderId) ? 'AND d.order_id > $2::uuid' : 'AND d.order_id::text > $2::text COLLATE "C"';
    return 'AND d.order_id > $2';
  }

  private get order(): string {
    return this.uuid ? `o.${this.column}` : `o.${this.column} COLLATE "C"`;
  }

  /**
   * The range mode of `GET /milestones` (every order after `afterOrderId`, ascending by orderId in
   * byte order) as the whole page's JSON (a `MilestonesPage` of @commerce/contracts, or its compact
   * form): current documents, the rest derived live by the service. The documents are read with a
   * binary COPY and, in the compact form, passed on as bytes, never decoded or parsed here (a full
   * scan reads a million of them from every service).
   */
  async rangePage(dataSource: DataSource, service: string, afterOrderId: string | null, limit: number, format: MilestonesFormat = 'full'): Promise<Buffer> {
    const page = new RangePageItems(format, limit);
    await this.copyRange(dataSource, afterOrderId, limit + 1, (row) => page.add(row));
    const live = await this.deriveLive(dataSource, page.missing.map((order) => order.orderId), format);
    return page.page(service, live);
  }

  /**
   * The orderIds mode of `GET /milestones` as the whole page's JSON: current documents where there
   * are, the other orders derived live (unknown ids are left out).
   */
  async ordersPage(dataSource: DataSource, service: string, orderIds: string[], format: MilestonesFormat = 'full'): Promise<Buffer> {
    const { where, ids } = this.ofOrders(orderIds);
    const current =
      ids.length === 0
        ? []
        : ((await dataSource.query(
            `SELECT ${this.orderIdText} AS order_id, d.body FROM ${this.table} o
               JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.documentOfRow} AND d.body IS NOT NULL
              WHERE ${where}`,
            [ids],
          )) as Array<{ order_id: string; body: string }>);
    const served = new Set(current.map((row) => row.order_id));
    const live = await this.deriveLive(dataSource, orderIds.filter((id) => !served.has(id)), format);
    const items = [...current.map((row) => documentIn(format, Buffer.from(row.body, 'utf8'))), ...live.values()];
    return pageAround(service, separated(items, format), null, format);
  }

  /**
   * These orders' items derived live, as JSON in `format` by orderId, in one snapshot, as the
   * service's other modes answer (its queries agree with each other); unknown ids are absent.
   */
  private async deriveLive(dataSource: DataSource, orderIds: string[], format: MilestonesFormat): Promise<Map<string, Buffer>> {
    if (orderIds.length === 0) return new Map();
    milestoneDocumentMetrics.derivedLive.inc(orderIds.length);
    const derived = await dataSource.transaction('REPEATABLE READ', (snapshot) => this.source.derive(snapshot, orderIds));
    return new Map(derived.map((item) => [item.orderId, Buffer.from(JSON.stringify(format === COMPACT_FORMAT ? compactOrderMilestones(item) : item), 'utf8')]));
  }

  /**
   * A whole `GET /milestones` answer in the form asked for: the range and orderIds modes from the
   * documents (the full scan; the incremental scan's and the repairs' checks), the changes mode
   * from the service's live derivation (`live`).
   */
  async answer(dataSource: DataSource, service: string, selection: MilestonesSelection, live: (selection: LiveMilestonesSelection) => Promise<MilestonesPage>): Promise<StreamableFile> {
    const format = selection.format ?? 'full';
    const type = format === COMPACT_FORMAT ? COMPACT_CONTENT_TYPE : JSON_TYPE;
    if (selection.kind === 'range') return milestonesResponse(await this.rangePage(dataSource, service, selection.afterOrderId, selection.limit, format), type);
    if (selection.kind === 'orders') return milestonesResponse(await this.ordersPage(dataSource, service, selection.orderIds, format), type);
    const page = await live(selection);
    if (format === COMPACT_FORMAT) return milestonesResponse(compactPageText(page.service, page.items, page.nextCursor), COMPACT_CONTENT_TYPE);
    return milestonesResponse(JSON.stringify(page));
  }

  /**
   * The range's orderIds and current documents (NULL where there is none or it was emptied by a
   * change), row by row as they arrive, by a binary COPY on a connection of the pool.
   */
  private async copyRange(dataSource: DataSource, afterOrderId: string | null, count: number, onRow: (row: CopyRow) => void): Promise<void> {
    const runner = dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      // COPY takes no parameters: the position goes in as a literal, escaped by pg.
      const position = afterOrderId === null ? '' : client.escapeLiteral(afterOrderId);
      const sql = `COPY (SELECT ${this.orderIdText}, d.body
           FROM ${this.table} o
           LEFT JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.documentOfRow} ${this.documentsAfter(afterOrderId).replace('$2', position)}
           ${this.after(afterOrderId).replace('$2', position)}
          ORDER BY ${this.order} LIMIT ${Math.floor(count)}) TO STDOUT (FORMAT binary)`;
      const reader = new CopyBinaryReader((row) => {
        if (row.count !== 2 || row.isNull(0)) throw new CopyBinaryFormatError('a row that is not an orderId and a document');
        onRow(row);
      });
      // Both sides are in orderId order on their indexes: merged, the documents are read in the
      // order they are stored. With the LIMIT the planner would rather probe the documents' index
      // once per order (several times the work for a page of 1000). One round trip for the three
      // statements: on the bench VM each round trip cost ~0.25 ms of CPU in writes alone.
      await client.query('BEGIN READ ONLY; SET LOCAL enable_nestloop = off; SET LOCAL enable_hashjoin = off');
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(copyTo(sql));
        stream.on('data', (chunk: Buffer) => {
          try {
            reader.push(chunk);
          } catch (error) {
            stream.destroy(error as Error);
          }
        });
        stream.on('error', reject);
        stream.on('end', () => {
          try {
            reader.end();
            resolve();
          } catch (error) {
            reject(error as Error);
          }
        });
      });
      await client.query('COMMIT');
    } catch (error) {
      // A failed COPY leaves the transaction aborted: end it before the connection goes back to the pool.
      await client.query('ROLLBACK');
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Derives these orders' items and stores them as their documents. The per-order rows' xmin, the
   * documents' generations and the items are read in one REPEATABLE READ snapshot; the documents
   * are written after it, each only if its generation has not moved since (a change committed in
   * between emptied it, and a change still running holds its row until it commits: the write waits
   * and then finds the generation moved). Answers how many were written.
   */
  async refresh(db: TransactionalQueryable, orderIds: string[]): Promise<number> {
    if (orderIds.length === 0) return 0;
    const { versions, items } = await db.transaction('REPEATABLE READ', async (snapshot) => {
      const { where, ids } = this.ofOrders(orderIds);
      const read = (await snapshot.query(
        `SELECT ${this.orderIdText} AS order_id, o.xmin::text AS xmin, coalesce(d.generation, 0)::text AS generation
           FROM ${this.table} o LEFT JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.documentOfRow}
          WHERE ${where}`,
        [ids],
      )) as Array<{ order_id: string; xmin: string; generation: string }>;
      return { versions: new Map(read.map((row) => [row.order_id, row])), items: await this.source.derive(snapshot, orderIds) };
    });
    const ids: string[] = [];
    const xmins: string[] = [];
    const generations: string[] = [];
    const bodies: string[] = [];
    for (const item of items) {
      const version = versions.get(item.orderId);
      if (version === undefined) continue;
      ids.push(item.orderId);
      xmins.push(version.xmin);
      generations.push(version.generation);
      bodies.push(JSON.stringify(compactOrderMilestones(item)));
    }
    if (ids.length === 0) return 0;
    // A document that does not exist yet is generation 0; the trigger creates an emptied one at 1.
    const written = (await db.query(
      `INSERT INTO ${MILESTONE_DOCUMENT_TABLE} AS d (order_id, source_xmin, generation, body, built_at)
       SELECT *, clock_timestamp() FROM unnest($1::${this.uuid ? 'uuid' : 'text'}[], $2::bigint[], $3::bigint[], $4::text[])
       ON CONFLICT (order_id) DO UPDATE SET source_xmin = EXCLUDED.source_xmin, body = EXCLUDED.body, built_at = EXCLUDED.built_at
        WHERE d.generation = EXCLUDED.generation
       RETURNING d.order_id`,
      [ids, xmins, generations, bodies],
    )) as unknown[];
    return written.length;
  }

  /**
   * The next orders after `afterOrderId` (in orderId order) whose document is missing or not
   * current, looking at no more than `window` orders: a sweep walks the whole table this way,
   * a window at a time. `scannedTo` is where the next call goes on from (null: the end).
   */
  async stale(db: Queryable, afterOrderId: string | null, window: number): Promise<{ orderIds: string[]; scannedTo: string | null }> {
    const rows = (await db.query(
      `SELECT ${this.orderIdText} AS order_id, ${CURRENT} AS current
         FROM ${this.table} o
         LEFT JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.documentOfRow} ${this.documentsAfter(afterOrderId)}
         ${this.after(afterOrderId)}
        ORDER BY ${this.order} LIMIT $1`,
      afterOrderId === null ? [window] : [window, afterOrderId],
    )) as Array<{ order_id: string; current: boolean }>;
    return {
      orderIds: rows.filter((row) => !row.current).map((row) => row.order_id),
      scannedTo: rows.length < window ? null : rows[rows.length - 1].order_id,
    };
  }

  /**
   * Orders whose per-order row changed at or after `since` (the order-row triggers keep updated_at
   * true), oldest change first, and the latest change among them.
   */
  async changedSince(db: Queryable, since: Date, limit: number): Promise<{ orderIds: string[]; latest: Date | null }> {
    const rows = (await db.query(
      `SELECT ${this.orderIdText} AS order_id, o.updated_at FROM ${this.table} o WHERE o.updated_at >= $1 ORDER BY o.updated_at LIMIT $2`,
      [since, limit],
    )) as Array<{ order_id: string; updated_at: Date }>;
    return { orderIds: rows.map((row) => row.order_id), latest: rows.length > 0 ? rows[rows.length - 1].updated_at : null };
  }

  /** Whether the order's document is current (null: the order has no per-order row). */
  async isCurrent(db: Queryable, orderId: string): Promise<boolean | null> {
    const { where, ids } = this.ofOrders([orderId]);
    const rows = (await db.query(
      `SELECT ${CURRENT} AS current
         FROM ${this.table} o LEFT JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.documentOfRow}
        WHERE ${where}`,
      [ids],
    )) as Array<{ current: boolean }>;
    return rows.length === 0 ? null : rows[0].current;
  }

  /** The per-order row's version (its xmin) that a current document names (null: no per-order row). */
  async rowVersion(db: Queryable, orderId: string): Promise<string | null> {
    const { where, ids } = this.ofOrders([orderId]);
    const rows = (await db.query(`SELECT o.xmin::text AS xmin FROM ${this.table} o WHERE ${where}`, [ids])) as Array<{ xmin: string }>;
    return rows[0]?.xmin ?? null;
  }

  /** Documents whose order has no per-order row any more. */
  async deleteOrphans(db: Queryable): Promise<number> {
    const result = (await db.query(
      `DELETE FROM ${MILESTONE_DOCUMENT_TABLE} d WHERE NOT EXISTS (SELECT 1 FROM ${this.table} o WHERE ${this.documentOfRow})`,
    )) as [unknown, number] | unknown[];
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }
}

/**
 * A range page's items, built from the COPY's rows as they arrive: each current document's bytes
 * copied once into one buffer, each preceded by its separator (a line break in the compact form, a
 * comma in the full one), with no object or Buffer per row (a full scan reads a million rows from
 * every service). A document not in the form asked for goes through `documentIn`; an order with
 * none is kept with the place its live item goes; the row after `limit` only says more follow.
 */
class RangePageItems {
  private items: Buffer;
  private length = 0;
  private rows = 0;
  private lastOrderId: string | null = null;
  private nextCursor: string | null = null;
  private readonly separator: number;
  /** Orders whose item is derived live, and where in `items` it goes. */
  readonly missing: Array<{ orderId: string; at: number }> = [];

  constructor(
    private readonly format: MilestonesFormat,
    private readonly limit: number,
  ) {
    this.separator = separatorIn(format);
    this.items = Buffer.allocUnsafe(Math.max(1024, Math.min(limit, 5000) * 512));
  }

  add(row: CopyRow): void {
    if (this.rows === this.limit) {
      this.nextCursor ??= this.lastOrderId;
      return;
    }
    this.rows += 1;
    if (this.rows === this.limit) this.lastOrderId = row.text(0);
    if (row.isNull(1)) {
      this.missing.push({ orderId: row.text(0) as string, at: this.length });
      return;
    }
    // Read in place: most documents are copied as they are, with no Buffer made for them.
    if (row.length(1) > 0 && storedIn(this.format, row.source[row.starts[1]])) {
      this.reserve(1 + row.length(1));
      this.items[this.length++] = this.separator;
      this.length += row.copyField(1, this.items, this.length);
      return;
    }
    const item = documentIn(this.format, row.field(1) as Buffer);
    this.reserve(1 + item.length);
    this.items[this.length++] = this.separator;
    this.length += item.copy(this.items, this.length);
  }

  /** The whole page, with the live items in their places (an order deleted in between is left out). */
  page(service: string, live: Map<string, Buffer>): Buffer {
    const parts: Buffer[] = [];
    let from = 0;
    for (const { orderId, at } of this.missing) {
      const item = live.get(orderId);
      if (!item) continue;
      parts.push(this.items.subarray(from, at), Buffer.from([this.separator]), item);
      from = at;
    }
    parts.push(this.items.subarray(from, this.length));
    return pageAround(service, parts.length === 1 ? parts[0] : Buffer.concat(parts), this.nextCursor, this.format);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.items.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.items.length * 2, this.length + bytes));
    this.items.copy(grown, 0, 0, this.length);
    this.items = grown;
  }
}

/** What goes before each item of a page: a line break in the compact form, a comma in the full one. */
const separatorIn = (format: MilestonesFormat): number => (format === COMPACT_FORMAT ? 0x0a : 0x2c);

/** Items already serialized as one page's items, each preceded by its separator. */
function separated(items: Buffer[], format: MilestonesFormat): Buffer {
  const separator = Buffer.from([separatorIn(format)]);
  return Buffer.concat(items.flatMap((item) => [separator, item]));
}

/**
 * A `MilestonesPage` (@commerce/contracts), or its compact form (a header line, then an item per
 * line), around items already serialized and each preceded by its separator, spliced without
 * parsing them.
 */
function pageAround(service: string, items: Buffer, nextCursor: string | null, format: MilestonesFormat): Buffer {
  if (format === COMPACT_FORMAT) {
    const header: CompactPageHeader = { service, format, nextCursor };
    return Buffer.concat([Buffer.from(JSON.stringify(header), 'utf8'), items]);
  }
  return Buffer.concat([
    Buffer.from(`{"service":${JSON.stringify(service)},"items":[`, 'utf8'),
    items.subarray(1), // the first item's separator
    Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)}}`, 'utf8'),
  ]);
}

const COMPACT_OPENING = 0x5b; // [

/** Whether a stored document whose first byte is `firstByte` is already in `format` (compact ones open with `[`). */
const storedIn = (format: MilestonesFormat, firstByte: number | undefined): boolean => (firstByte === COMPACT_OPENING) === (format === COMPACT_FORMAT);

/**
 * A stored document as an item of a page in `format`. Documents are stored compact; one in the full
 * form was written by an instance of an older version still running beside this one (the migration
 * to compact documents empties those it finds, `MilestoneDocumentsCompact1764400000000`), and is
 * converted rather than served in the wrong form.
 */
function documentIn(format: MilestonesFormat, body: Buffer): Buffer {
  if (storedIn(format, body[0])) return body;
  const item: unknown = JSON.parse(body.toString('utf8'));
  return Buffer.from(JSON.stringify(format === COMPACT_FORMAT ? compactOrderMilestones(item as OrderMilestones) : expandOrderMilestones(item as CompactOrderMilestones)), 'utf8');
}

/**
 * A `GET /milestones` answer as the controller returns it: JSON bytes sent as they are (Nest would
 * serialize a Buffer as JSON of its bytes, and a string is encoded once more).
 */
export function milestonesResponse(body: Buffer | string, type = JSON_TYPE): StreamableFile {
  return new StreamableFile(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, { type, length: Buffer.byteLength(body) });
}

/** A connection that can also run a transaction (a TypeORM DataSource or EntityManager fits). */
export interface TransactionalQueryable extends Queryable {
  transaction<R>(isolation: 'REPEATABLE READ', run: (db: Queryable) => Promise<R>): Promise<R>;
}

/**
 * The statements creating the documents table (one per database), keyed like the per-order
 * table's orderId column: uuid, or text compared in byte order (as the range mode orders it).
 */
export function milestoneDocumentStatements(orderIdType: 'uuid' | 'text'): { up: string[]; down: string[] } {
  return {
    up: [
      `CREATE TABLE ${MILESTONE_DOCUMENT_TABLE} (
         order_id ${orderIdType === 'uuid' ? 'uuid' : 'text COLLATE "C"'} PRIMARY KEY,
         source_xmin bigint NOT NULL,
         body text NOT NULL,
         built_at timestamptz NOT NULL
       )`,
    ],
    down: [`DROP TABLE ${MILESTONE_DOCUMENT_TABLE}`],
  };
}

/** A service's migration adding the documents table. */
export abstract class MilestoneDocumentsMigration implements MigrationInterface {
  abstract readonly name: string;
  /** The type of the per-order table's orderId column. @defaultValue 'text' */
  protected readonly orderIdType: 'uuid' | 'text' = 'text';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of milestoneDocumentStatements(this.orderIdType).up) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const statement of milestoneDocumentStatements(this.orderIdType).down) await q.query(statement);
  }
}

/**
 * The statements adding documents' generations to a database's documents table: a document may be
 * empty (body null: derive the order live), and a trigger on the per-order table empties it and
 * counts its generation up on every UPDATE or DELETE of the order's row, creating an empty one at
 * generation 1 where there was none (so a refresh that read "no document" cannot store over it).
 * `ENABLE ALWAYS`: it fires under `session_replication_role = replica` too. Part of those
 * migrations' meaning: change them only with a new migration, never in place.
 */
export function milestoneDocumentGenerationStatements(source: { table: string; orderIdColumn: string }): { up: string[]; down: string[] } {
  const table = ident(source.table);
  const column = ident(source.orderIdColumn);
  const fn = `milestone_document_forget_${table}`;
  const forget = (row: 'OLD' | 'NEW') =>
    `INSERT INTO ${MILESTONE_DOCUMENT_TABLE} AS d (order_id, generation) VALUES (${row}.${column}, 1)
       ON CONFLICT (order_id) DO UPDATE SET body = NULL, generation = d.generation + 1;`;
  return {
    up: [
      `ALTER TABLE ${MILESTONE_DOCUMENT_TABLE}
         ALTER COLUMN body DROP NOT NULL,
         ALTER COLUMN source_xmin DROP NOT NULL,
         ALTER COLUMN built_at DROP NOT NULL,
         ADD COLUMN generation bigint NOT NULL DEFAULT 0`,
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.${column} IS NOT NULL THEN
           ${forget('OLD')}
         END IF;
         IF TG_OP = 'UPDATE' AND NEW.${column} IS DISTINCT FROM OLD.${column} AND NEW.${column} IS NOT NULL THEN
           ${forget('NEW')}
         END IF;
         RETURN NULL;
       END $$`,
      `CREATE TRIGGER milestone_document_forget AFTER UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
      `ALTER TABLE ${table} ENABLE ALWAYS TRIGGER milestone_document_forget`,
    ],
    down: [
      `DROP TRIGGER milestone_document_forget ON ${table}`,
      `DROP FUNCTION ${fn}()`,
      `DELETE FROM ${MILESTONE_DOCUMENT_TABLE} WHERE body IS NULL OR source_xmin IS NULL OR built_at IS NULL`,
      `ALTER TABLE ${MILESTONE_DOCUMENT_TABLE}
         DROP COLUMN generation,
         ALTER COLUMN body SET NOT NULL,
         ALTER COLUMN source_xmin SET NOT NULL,
         ALTER COLUMN built_at SET NOT NULL`,
    ],
  };
}

/** A service's migration adding the documents' generations and the trigger on its per-order table. */
export abstract class MilestoneDocumentGenerationsMigration implements MigrationInterface {
  abstract readonly name: string;
  /** The per-order table and its orderId column (the ones the service's `MilestoneDocumentSource` names). */
  protected abstract readonly source: { table: string; orderIdColumn: string };

  async up(q: QueryRunner): Promise<void> {
    for (const statement of milestoneDocumentGenerationStatements(this.source).up) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const statement of milestoneDocumentGenerationStatements(this.source).down) await q.query(statement);
  }
}

/** How the refresher keeps documents current (each service's settings, see `milestoneDocumentSettings`). */
export interface MilestoneDocumentRefresherOptions {
  /** Between two refreshes of the orders changed since the last one; 0 turns the refresher off. @defaultValue 2000 */
  refreshEveryMs: number;
  /** Between two sweeps of every order (the first right after start-up); 0: only the start-up sweep. @defaultValue 21600000 (6 h) */
  sweepEveryMs: number;
  /** Orders derived per refresh transaction. @defaultValue 500 */
  batchSize: number;
}

export const milestoneDocumentMetrics = {
  written: new Counter({
    name: 'milestone_documents_written_total',
    help: 'Milestone documents (each order\'s /milestones item, cached for the full scan) derived and stored, by trigger (changed, sweep)',
    labelNames: ['trigger'] as const,
    registers: [metricsRegistry],
  }),
  derivedLive: new Counter({
    name: 'milestone_documents_derived_live_total',
    help: 'Orders a /milestones range or orderIds page derived live because their document was missing or not current',
    registers: [metricsRegistry],
  }),
  sweeps: new Counter({
    name: 'milestone_documents_sweeps_total',
    help: 'Sweeps of every order\'s milestone document completed since start-up',
    registers: [metricsRegistry],
  }),
  sweepProgress: new Gauge({
    name: 'milestone_documents_sweep_orders_scanned',
    help: 'Orders the sweep in progress has looked at (0 between sweeps)',
    registers: [metricsRegistry],
  }),
};

const OVERLAP_MS = 5_000;

/**
 * Keeps the documents current behind the service's writes: every `refreshEveryMs` it re-derives
 * the orders whose per-order row changed since the last round (updated_at, minus an overlap for
 * transactions that committed late), and it sweeps every order at start-up and every
 * `sweepEveryMs` for documents missing or not current (orders seeded or restored in bulk, changes
 * the refresh missed). Correctness never depends on it: a range page derives live what is not current.
 */
export class MilestoneDocumentRefresher<T extends OrderMilestones> {
  private readonly log: Logger;
  private running = false;
  /** Set on shutdown: a sweep stops between windows. */
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private changedSince: Date | null = null;
  private nextSweepAt = 0;

  constructor(
    private readonly service: string,
    private readonly db: TransactionalQueryable,
    readonly documents: MilestoneDocuments<T>,
    private readonly options: MilestoneDocumentRefresherOptions,
  ) {
    this.log = createLogger(service).child({ component: 'milestone-documents' });
  }

  onApplicationBootstrap(): void {
    if (this.options.refreshEveryMs <= 0) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops before the database goes away, after the batch in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.refreshChanged();
        if (Date.now() >= this.nextSweepAt) {
          await this.sweep();
          this.nextSweepAt = this.options.sweepEveryMs > 0 ? Date.now() + this.options.sweepEveryMs : Number.POSITIVE_INFINITY;
        }
      } catch (error) {
        this.log.warn({ err: error }, 'milestone documents refresh failed; trying again next round');
      }
      await this.pause(this.options.refreshEveryMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wake = null;
    });
  }

  /** Re-derives the orders changed since the last round. */
  async refreshChanged(): Promise<number> {
    const startedAt = new Date();
    let from = new Date((this.changedSince ?? startedAt).getTime() - OVERLAP_MS);
    let written = 0;
    for (;;) {
      const changed = await this.documents.changedSince(this.db, from, this.options.batchSize);
      written += await this.documents.refresh(this.db, changed.orderIds);
      // A full batch: more changed; go on from the latest change read (re-reading its instant is harmless).
      if (changed.orderIds.length < this.options.batchSize || changed.latest === null || !(changed.latest > from)) break;
      from = changed.latest;
    }
    this.changedSince = startedAt;
    milestoneDocumentMetrics.written.inc({ trigger: 'changed' }, written);
    return written;
  }

  /** Walks every order for documents missing or not current, and drops those of deleted orders. */
  async sweep(): Promise<{ scanned: number; written: number }> {
    const started = Date.now();
    let after: string | null = null;
    let scanned = 0;
    let written = 0;
    const window = this.options.batchSize * 4;
    do {
      const stale = await this.documents.stale(this.db, after, window);
      for (let i = 0; i < stale.orderIds.length; i += this.options.batchSize) {
        const refreshed = await this.documents.refresh(this.db, stale.orderIds.slice(i, i + this.options.batchSize));
        written += refreshed;
        milestoneDocumentMetrics.written.inc({ trigger: 'sweep' }, refreshed);
      }
      scanned += window;
      milestoneDocumentMetrics.sweepProgress.set(scanned);
      after = stale.scannedTo;
    } while (after !== null && !this.stopping);
    const deleted = await this.documents.deleteOrphans(this.db);
    milestoneDocumentMetrics.sweepProgress.set(0);
    milestoneDocumentMetrics.sweeps.inc();
    if (written > 0 || deleted > 0) this.log.info({ written, deleted, seconds: (Date.now() - started) / 1000 }, 'milestone documents swept');
    return { scanned, written };
  }
}

/** Each service's settings of its milestone documents (its config schema extends itself with these). */
export const milestoneDocumentSettings = {
  /** Between two refreshes of the documents of orders changed since the last one; 0 turns the refresher off. @defaultValue 2000 */
  MILESTONE_DOCUMENTS_REFRESH_MS: z.coerce.number().int().nonnegative().default(2000).describe('milliseconds between refreshes of changed orders\' milestone documents (0: off)'),
  /** Between two sweeps of every order's document (one runs at start-up); 0: only at start-up. @defaultValue 21600000 (6 h) */
  MILESTONE_DOCUMENTS_SWEEP_MS: z.coerce.number().int().nonnegative().default(6 * 3600_000).describe('milliseconds between sweeps of every milestone document (0: at start-up only)'),
  /** Orders derived per refresh transaction. @defaultValue 500 */
  MILESTONE_DOCUMENTS_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(500).describe('orders derived per milestone documents transaction'),
};

type MilestoneDocumentConfig = { [K in keyof typeof milestoneDocumentSettings]: number };

export function milestoneDocumentOptions(config: MilestoneDocumentConfig): MilestoneDocumentRefresherOptions {
  return {
    refreshEveryMs: config.MILESTONE_DOCUMENTS_REFRESH_MS,
    sweepEveryMs: config.MILESTONE_DOCUMENTS_SWEEP_MS,
    batchSize: config.MILESTONE_DOCUMENTS_BATCH_SIZE,
  };
}

/**
 * The Nest provider of a service's refresher, on its data source and the `documents` of its
 * milestones service (which knows the table and the derivation).
 */
export function milestoneDocumentRefresher<T extends OrderMilestones>(
  service: string,
  options: MilestoneDocumentRefresherOptions,
  milestones: Type<{ documents: MilestoneDocuments<T> }>,
): Provider {
  return {
    provide: MilestoneDocumentRefresher,
    inject: [milestones, DataSource],
    useFactory: (owner: { documents: MilestoneDocuments<T> }, dataSource: DataSource) =>
      new MilestoneDocumentRefresher(service, dataSource, owner.documents, options),
  };
}

/**
 * Documents in the compact form (milestone-documents.ts, @commerce/contracts milestones-compact.ts):
 * those stored in the full form are emptied, so they are derived live until the start-up sweep
 * stores them again, compact. The generation moves, so a refresh of an older instance in flight
 * stores nothing over it. One migration for every service's database (the table is the same in each).
 */
export class MilestoneDocumentsCompact1764400000000 implements MigrationInterface {
  name = 'MilestoneDocumentsCompact1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE ${MILESTONE_DOCUMENT_TABLE} SET body = NULL, generation = generation + 1 WHERE body NOT LIKE '[%'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE ${MILESTONE_DOCUMENT_TABLE} SET body = NULL, generation = generation + 1 WHERE body LIKE '[%'`);
  }
}
