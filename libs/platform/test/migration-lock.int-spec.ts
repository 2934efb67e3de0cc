// Replicas starting together against one database: the migrations run once, the others wait for
// them and find nothing pending (real Postgres, a database of this suite's own).
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { databaseUrlFor, initializeMigrated } from '../src';

const serverUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function onServer<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Not idempotent on purpose: a second run fails on the existing table, as real migrations do. */
class ParcelsTable1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE parcel (id serial PRIMARY KEY)`);
    await queryRunner.query(`SELECT pg_sleep(0.3)`); // long enough for the other replicas to find it pending without the lock
    await queryRunner.query(`INSERT INTO parcel DEFAULT VALUES`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE parcel`);
  }
}

describe('when replicas start together on one database', () => {
  const name = `t_migration_lock_${randomUUID().slice(0, 8)}`;
  const sources: DataSource[] = [];

  beforeAll(() => onServer((c) => c.query(`CREATE DATABASE "${name}"`)));
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await onServer((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });

  it('runs each migration once and every replica starts', async () => {
    const started = await Promise.all(
      [1, 2, 3].map(() =>
        initializeMigrated({ type: 'postgres', url: databaseUrlFor(serverUrl, name), migrations: [ParcelsTable1700000000000], migrationsRun: true }),
      ),
    );
    sources.push(...started);

    const [first] = started as [DataSource];
    expect(await first.query(`SELECT count(*)::int AS n FROM parcel`)).toEqual([{ n: 1 }]);
    expect(await first.query(`SELECT name FROM migrations`)).toEqual([{ name: 'ParcelsTable1700000000000' }]);
    for (const source of started) expect(await source.showMigrations()).toBe(false);
  });
});
