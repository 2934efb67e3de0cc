// Statements with parameters run prepared on the service pools' connections (real Postgres,
// through TypeORM as the services use it), and off when the setting says so.
import { DataSource } from 'typeorm';
import { serviceDatabase } from '../src';

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function dataSource(preparedStatements: boolean): Promise<DataSource> {
  const options = serviceDatabase({ url, entities: [], migrations: [], poolSize: 1, preparedStatements });
  const source = new DataSource({ ...(options as object), migrationsRun: false } as ConstructorParameters<typeof DataSource>[0]);
  return source.initialize();
}

/** The statements prepared on the pool's one connection, read on that connection. */
async function preparedOn(source: DataSource): Promise<string[]> {
  const rows: Array<{ statement: string }> = await source.query('SELECT statement FROM pg_prepared_statements ORDER BY statement');
  return rows.map((row) => row.statement);
}

describe('prepared statements on a service pool', () => {
  const sources: DataSource[] = [];
  afterAll(() => Promise.all(sources.map((s) => s.destroy())));

  it('prepares a statement with parameters once and reuses it on the connection', async () => {
    const source = await dataSource(true);
    sources.push(source);
    const text = 'SELECT $1::int + 1 AS next';
    expect(await source.query(text, [1])).toEqual([{ next: 2 }]);
    expect(await source.query(text, [41])).toEqual([{ next: 42 }]);
    expect((await preparedOn(source)).filter((s) => s === text)).toHaveLength(1);
  });

  it('keeps a statement without parameters (BEGIN, SET) a simple query', async () => {
    const source = await dataSource(true);
    sources.push(source);
    await source.transaction(async (manager) => {
      await manager.query("SET LOCAL lock_timeout = '100ms'");
    });
    expect(await preparedOn(source)).not.toContain("SET LOCAL lock_timeout = '100ms'");
  });

  it('answers errors of a prepared statement as before, and the connection stays usable', async () => {
    const source = await dataSource(true);
    sources.push(source);
    await expect(source.query('SELECT $1::int AS n', ['not a number'])).rejects.toThrow(/invalid input syntax for type integer/);
    expect(await source.query('SELECT $1::int AS n', [7])).toEqual([{ n: 7 }]);
  });

  it('prepares nothing when turned off', async () => {
    const source = await dataSource(false);
    sources.push(source);
    await source.query('SELECT $1::int * 2 AS twice', [2]);
    expect(await preparedOn(source)).toEqual([]);
  });
});
