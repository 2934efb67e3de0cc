import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { OrderMilestones } from '@commerce/contracts';
import { databaseUrlFor, InvalidInputError } from '@commerce/platform';
import { changedOrders, changesPage } from '../src/changes/changes-page';
import { OrderTable } from '../src/order-table';
import type { ChangesSelection } from '../src/query/milestones-query';
import { inSnapshot } from '../src/snapshot';
import type { MilestonesSource, Queryable } from '../src/source';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `t_milestones_changes_${randomUUID().replace(/-/g, '').slice(0, 8)}`;

async function onServer(sql: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Four changes at one instant (microseconds apart from the rest), so pages of 2 split inside it. */
const AT = ['2025-03-01T10:00:00.000001Z', '2025-03-01T10:00:00.000002Z', '2025-03-01T10:00:00.000002Z', '2025-03-01T10:00:00.000002Z', '2025-03-01T10:00:00.000002Z', '2025-03-01T10:00:00.000003Z'];
const EARLIER = '2025-02-01T00:00:00Z';

describe('the changes mode of GET /milestones (one keyset query on the per-order table)', () => {
  let dataSource: DataSource;
  const textIds = ['o-5', 'o-3', 'o-1', 'o-4', 'o-2', 'o-0'];
  const uuidIds = Array.from({ length: AT.length }, () => randomUUID());

  beforeAll(async () => {
    await onServer(`CREATE DATABASE "${name}"`);
    dataSource = new DataSource({ type: 'postgres', url: databaseUrlFor(serverUrl, name) });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE text_order (order_id text PRIMARY KEY, updated_at timestamptz NOT NULL)');
    await dataSource.query('CREATE TABLE uuid_order (id uuid PRIMARY KEY, updated_at timestamptz NOT NULL)');
    await dataSource.query('INSERT INTO text_order VALUES ($1, $2)', ['o-early', EARLIER]);
    await dataSource.query('INSERT INTO uuid_order VALUES ($1, $2)', [randomUUID(), EARLIER]);
    for (let i = 0; i < AT.length; i++) {
      await dataSource.query('INSERT INTO text_order VALUES ($1, $2)', [textIds[i], AT[i]]);
      await dataSource.query('INSERT INTO uuid_order VALUES ($1, $2)', [uuidIds[i], AT[i]]);
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  /** Every orderId of the changes since `updatedSince`, page after page of `limit`, following the cursors. */
  async function allPages(orders: OrderTable, updatedSince: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let selection: ChangesSelection = { kind: 'changes', updatedSince, after: null, limit };
    for (;;) {
      const page = await changedOrders(dataSource, orders, selection);
      pages.push(page.orderIds);
      if (page.nextCursor === null) return pages;
      const [at, id] = JSON.parse(Buffer.from(page.nextCursor, 'base64url').toString('utf8')) as [string, string];
      selection = { ...selection, after: { at, id } };
    }
  }

  /** The expected order: by updated_at, then by orderId (in the column's order: uuid, or text). */
  const expected = (ids: string[]) =>
    ids
      .map((id, i) => ({ id, at: AT[i] }))
      .sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1))
      .map((row) => row.id);

  it('pages a text orderId column by (updated_at, orderId), each change once, split inside an instant', async () => {
    const pages = await allPages(new OrderTable({ table: 'text_order', orderIdColumn: 'order_id' }), '2025-03-01T00:00:00Z', 2);
    expect(pages).toEqual([expected(textIds).slice(0, 2), expected(textIds).slice(2, 4), expected(textIds).slice(4, 6)]);
  });

  it('pages a uuid orderId column the same way, its ids as text', async () => {
    const pages = await allPages(new OrderTable({ table: 'uuid_order', orderIdColumn: 'id', orderIdType: 'uuid' }), '2025-03-01T00:00:00Z', 4);
    expect(pages.flat()).toEqual(expected(uuidIds));
    expect(pages.map((page) => page.length)).toEqual([4, 2]);
  });

  it('starts at updatedSince, inclusive, to the microsecond', async () => {
    const orders = new OrderTable({ table: 'text_order', orderIdColumn: 'order_id' });
    expect((await allPages(orders, AT[1], 10)).flat()).toEqual(expected(textIds).slice(1));
    expect((await allPages(orders, '2025-04-01T00:00:00Z', 10)).flat()).toEqual([]);
  });

  it('refuses a cursor whose orderId is no uuid on a uuid column, naming the cursor', async () => {
    const orders = new OrderTable({ table: 'uuid_order', orderIdColumn: 'id', orderIdType: 'uuid' });
    const selection: ChangesSelection = { kind: 'changes', updatedSince: EARLIER, after: { at: AT[0], id: 'o-1' }, limit: 2 };
    await expect(changedOrders(dataSource, orders, selection)).rejects.toThrow(InvalidInputError);
    await expect(changedOrders(dataSource, orders, selection)).rejects.toMatchObject({ errors: [{ field: 'cursor' }] });
  });

  it("derives the page's orders in the same snapshot, and answers them in the page's order", async () => {
    const orders = new OrderTable({ table: 'text_order', orderIdColumn: 'order_id' });
    const asked: string[][] = [];
    const isolation: string[] = [];
    const source: MilestonesSource = {
      service: 'test-service',
      table: 'text_order',
      orderIdColumn: 'order_id',
      // Answers in its own order, and leaves out an order it does not know.
      derive: async (db: Queryable, orderIds: string[]) => {
        asked.push(orderIds);
        const [{ level }] = (await db.query("SELECT current_setting('transaction_isolation') AS level")) as Array<{ level: string }>;
        isolation.push(level);
        return orderIds
          .filter((orderId) => orderId !== 'o-4')
          .reverse()
          .map((orderId): OrderMilestones => ({ orderId, status: 'SEEN', updatedAt: AT[0], milestones: [], facts: {} }));
      },
      openApi: { summary: 'test', statuses: ['SEEN'], facts: 'none' },
    };
    const selection: ChangesSelection = { kind: 'changes', updatedSince: '2025-03-01T00:00:00Z', after: null, limit: 10 };
    const page = await inSnapshot(dataSource, (db) => changesPage(db, orders, source, selection));
    expect(asked).toEqual([expected(textIds)]);
    expect(isolation).toEqual(['repeatable read']);
    expect(page).toEqual({ service: 'test-service', items: expected(textIds).filter((id) => id !== 'o-4').map((orderId) => expect.objectContaining({ orderId })), nextCursor: null });
  });
});
