import { COMPACT_FORMAT, compactOrderMilestones } from '@commerce/contracts';
import type { DataSource } from 'typeorm';
import { OrderTable } from '../order-table';
import { MILESTONE_DOCUMENT_TABLE } from '../migrations/document-statements';
import type { MilestonesFormat } from '../query/milestones-query';
import { inSnapshot } from '../snapshot';
import type { MilestonesSource, Queryable, TransactionalQueryable } from '../source';
import { copyDocumentRows } from './copy-range';
import { milestoneDocumentMetrics } from './metrics';
import { documentIn, pageAround, RangePageItems, separated } from './range-page';

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
 * (`milestoneDocumentGenerationStatements`, migrations/document-statements.ts; `ENABLE ALWAYS`, so it fires under
 * `session_replication_role = replica` too), and the order-row triggers (migrations/order-row-triggers.ts)
 * change that row on every change of a child row. A refresh stores what it derived only if the
 * generation is still the one it read in the snapshot it derived from, so a change that commits in
 * between is never covered up. An empty document is derived live: a stale document costs time,
 * never a wrong answer. The range mode so reads the per-order table's index alone (an index-only
 * scan), not its rows: checking each row's `xmin` there would cost a random heap read per order.
 *
 * The document also records the per-order row's `xmin` it was derived from, which the sweep
 * compares (it reads the rows anyway): a hand edit made with the triggers disabled
 * (`ALTER TABLE ... DISABLE TRIGGER`) is served stale until the next sweep, then derived again.
 * What it cannot see: a child row changed with the order-row triggers off (`session_replication_role
 * = replica`), which the incremental scan cannot see either.
 */


/**
 * Whether the document `d` of the per-order row `o` is current: not emptied by a change, and
 * derived from the row as it is (which also catches an edit made with the triggers disabled).
 */
const CURRENT = `(d.body IS NOT NULL AND d.source_xmin IS NOT DISTINCT FROM o.xmin::text::bigint)`;

/**
 * Both sides of the range's join are in orderId order on their indexes: merged, the documents are
 * read in the order they are stored. With the LIMIT the planner would rather probe the documents'
 * index once per order (several times the work for a page of 1000).
 */
const MERGE_PLAN = 'SET LOCAL enable_nestloop = off; SET LOCAL enable_hashjoin = off';
/** How long a refresh waits for a document a writer holds before giving up until its next round. */
const WRITE_LOCK_TIMEOUT = '100ms';
/** The planner as the service's other queries have it, for the live derivation after the COPY. */
const DEFAULT_PLAN = 'SET LOCAL enable_nestloop TO DEFAULT; SET LOCAL enable_hashjoin TO DEFAULT';

export class MilestoneDocuments {
  readonly orders: OrderTable;

  constructor(readonly source: MilestonesSource) {
    this.orders = new OrderTable(source);
  }

  /**
   * The range mode of `GET /milestones` (every order after `afterOrderId`, ascending by orderId in
   * byte order) as the whole page's JSON (a `MilestonesPage` of @commerce/contracts, or its compact
   * form): current documents, the rest derived live by the service, in one snapshot. The documents
   * are read with a binary COPY and, in the compact form, passed on as bytes, never decoded or
   * parsed here (a full scan reads a million of them from every service).
   */
  async rangePage(dataSource: DataSource, afterOrderId: string | null, limit: number, format: MilestonesFormat = 'full'): Promise<Buffer> {
    const page = new RangePageItems(format, limit);
    const live = await inSnapshot(
      dataSource,
      async (db, client) => {
        await copyDocumentRows(client, this.rangeSelect(afterOrderId, limit + 1, client.escapeLiteral.bind(client)), (row) => page.add(row));
        if (page.missing.length === 0) return new Map<string, Buffer>();
        await client.query(DEFAULT_PLAN);
        return this.deriveLive(db, page.missing.map((order) => order.orderId), format);
      },
      MERGE_PLAN,
    );
    return page.page(this.source.service, live);
  }

  /** The range's orderIds and documents (NULL where there is none or it was emptied by a change). */
  private rangeSelect(afterOrderId: string | null, count: number, literal: (text: string) => string): string {
    // COPY takes no parameters: the position goes in as a literal, escaped by pg.
    const position = afterOrderId === null ? '' : literal(afterOrderId);
    return `SELECT ${this.orders.orderIdText}, d.body
         FROM ${this.orders.table} o
         LEFT JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.orders.documentOfRow} ${this.orders.documentsAfter(afterOrderId, position)}
         ${this.orders.after(afterOrderId, position)}
        ORDER BY ${this.orders.byteOrder} LIMIT ${Math.floor(count)}`;
  }

  /**
   * The orderIds mode of `GET /milestones` as the whole page's JSON: current documents where there
   * are, the other orders derived live (unknown ids are left out), in one snapshot.
   */
  async ordersPage(dataSource: DataSource, orderIds: string[], format: MilestonesFormat = 'full'): Promise<Buffer> {
    const { where, ids } = this.orders.ofOrders(orderIds);
    const { current, live } = await inSnapshot(dataSource, async (db) => {
      const current =
        ids.length === 0
          ? []
          : ((await db.query(
              `SELECT ${this.orders.orderIdText} AS order_id, d.body FROM ${this.orders.table} o
                 JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.orders.documentOfRow} AND d.body IS NOT NULL
                WHERE ${where}`,
              [ids],
            )) as Array<{ order_id: string; body: string }>);
      const served = new Set(current.map((row) => row.order_id));
      return { current, live: await this.deriveLive(db, orderIds.filter((id) => !served.has(id)), format) };
    });
    // In the order asked for, whichever of the two an item came from (a refresh may store any of them meanwhile).
    const byId = new Map(live);
    for (const row of current) byId.set(row.order_id, documentIn(format, Buffer.from(row.body, 'utf8')));
    const asked = new Map(orderIds.map((id, i) => [id, i]));
    const position = (id: string) => asked.get(id) ?? orderIds.length;
    const items = [...byId.keys()].sort((a, b) => position(a) - position(b)).map((id) => byId.get(id) as Buffer);
    return pageAround(this.source.service, separated(items, format), null, format);
  }

  /** These orders' items derived live on `db` (the page's snapshot), as JSON in `format` by orderId; unknown ids are absent. */
  private async deriveLive(db: Queryable, orderIds: string[], format: MilestonesFormat): Promise<Map<string, Buffer>> {
    if (orderIds.length === 0) return new Map();
    milestoneDocumentMetrics.derivedLive.inc(orderIds.length);
    const derived = await this.source.derive(db, orderIds);
    return new Map(derived.map((item) => [item.orderId, Buffer.from(JSON.stringify(format === COMPACT_FORMAT ? compactOrderMilestones(item) : item), 'utf8')]));
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
      const { where, ids } = this.orders.ofOrders(orderIds);
      const read = (await snapshot.query(
        `SELECT ${this.orders.orderIdText} AS order_id, o.xmin::text AS xmin, coalesce(d.generation, 0)::text AS generation
           FROM ${this.orders.table} o LEFT JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.orders.documentOfRow}
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
    return db.transaction('READ COMMITTED', async (tx) => {
      // The service's own writes come first: a document whose row a writer holds is skipped (the
      // writer empties it anyway), and a wait for one (a document the writer is creating) gives up
      // soon, long before Postgres would look for a deadlock, which a batch of writes could make.
      await tx.query(`SET LOCAL lock_timeout = '${WRITE_LOCK_TIMEOUT}'`);
      const free = new Set(
        ((await tx.query(
          `SELECT d.order_id::text AS order_id FROM ${MILESTONE_DOCUMENT_TABLE} d
            WHERE d.order_id = ANY($1::${this.orders.type}[]) ORDER BY d.order_id FOR UPDATE SKIP LOCKED`,
          [ids],
        )) as Array<{ order_id: string }>).map((row) => row.order_id),
      );
      const writable = ids.flatMap((id, i) => (free.has(id) || generations[i] === '0' ? [i] : []));
      if (writable.length === 0) return 0;
      const pick = (values: string[]) => writable.map((i) => values[i]);
      // A document that does not exist yet is generation 0; the trigger creates an emptied one at 1.
      const written = (await tx.query(
        `INSERT INTO ${MILESTONE_DOCUMENT_TABLE} AS d (order_id, source_xmin, generation, body, built_at)
         SELECT *, clock_timestamp() FROM unnest($1::${this.orders.type}[], $2::bigint[], $3::bigint[], $4::text[])
         ON CONFLICT (order_id) DO UPDATE SET source_xmin = EXCLUDED.source_xmin, body = EXCLUDED.body, built_at = EXCLUDED.built_at
          WHERE d.generation = EXCLUDED.generation
         RETURNING d.order_id`,
        [pick(ids), pick(xmins), pick(generations), pick(bodies)],
      )) as unknown[];
      return written.length;
    });
  }

  /**
   * The next orders after `afterOrderId` (in orderId order) whose document is missing or not
   * current, looking at no more than `window` orders: a sweep walks the whole table this way,
   * a window at a time. `scannedTo` is where the next call goes on from (null: the end).
   */
  async stale(db: Queryable, afterOrderId: string | null, window: number): Promise<{ orderIds: string[]; scannedTo: string | null }> {
    const rows = (await db.query(
      `SELECT ${this.orders.orderIdText} AS order_id, ${CURRENT} AS current
         FROM ${this.orders.table} o
         LEFT JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.orders.documentOfRow} ${this.orders.documentsAfter(afterOrderId, '$2')}
         ${this.orders.after(afterOrderId, '$2')}
        ORDER BY ${this.orders.byteOrder} LIMIT $1`,
      afterOrderId === null ? [window] : [window, afterOrderId],
    )) as Array<{ order_id: string; current: boolean }>;
    return {
      orderIds: rows.filter((row) => !row.current).map((row) => row.order_id),
      scannedTo: rows.length < window ? null : rows[rows.length - 1].order_id,
    };
  }

  /**
   * Orders whose per-order row changed at or after `since` and before `until` (the order-row
   * triggers keep updated_at true) and whose document is not current, oldest change first, and the
   * latest change among them. A document already current (refreshed in an earlier round whose
   * window overlapped this one) is not derived again.
   */
  async changedSince(db: Queryable, since: Date, until: Date, limit: number): Promise<{ orderIds: string[]; latest: Date | null }> {
    const rows = (await db.query(
      `SELECT ${this.orders.orderIdText} AS order_id, o.updated_at FROM ${this.orders.table} o
         LEFT JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.orders.documentOfRow}
        WHERE o.updated_at >= $1 AND o.updated_at < $2 AND NOT ${CURRENT}
        ORDER BY o.updated_at LIMIT $3`,
      [since, until, limit],
    )) as Array<{ order_id: string; updated_at: Date }>;
    return { orderIds: rows.map((row) => row.order_id), latest: rows.length > 0 ? rows[rows.length - 1].updated_at : null };
  }

  /** Whether the order's document is current (null: the order has no per-order row). */
  async isCurrent(db: Queryable, orderId: string): Promise<boolean | null> {
    const { where, ids } = this.orders.ofOrders([orderId]);
    const rows = (await db.query(
      `SELECT ${CURRENT} AS current
         FROM ${this.orders.table} o LEFT JOIN ${MILESTONE_DOCUMENT_TABLE} d ON ${this.orders.documentOfRow}
        WHERE ${where}`,
      [ids],
    )) as Array<{ current: boolean }>;
    return rows.length === 0 ? null : rows[0].current;
  }

  /** The per-order row's version (its xmin) that a current document names (null: no per-order row). */
  async rowVersion(db: Queryable, orderId: string): Promise<string | null> {
    const { where, ids } = this.orders.ofOrders([orderId]);
    const rows = (await db.query(`SELECT o.xmin::text AS xmin FROM ${this.orders.table} o WHERE ${where}`, [ids])) as Array<{ xmin: string }>;
    return rows[0]?.xmin ?? null;
  }

  /** Documents whose order has no per-order row any more. */
  async deleteOrphans(db: Queryable): Promise<number> {
    const result = (await db.query(
      `DELETE FROM ${MILESTONE_DOCUMENT_TABLE} d WHERE NOT EXISTS (SELECT 1 FROM ${this.orders.table} o WHERE ${this.orders.documentOfRow})`,
    )) as [unknown, number] | unknown[];
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }
}
