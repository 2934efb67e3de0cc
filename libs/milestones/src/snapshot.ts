import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Queryable } from './source';

/**
 * Runs `read` in one REPEATABLE READ, read-only transaction on one connection of the pool, so
 * every statement of a `GET /milestones` page (the page's orderIds, documents, COPY, and the
 * service's derivation with its child rows) sees the same moment. `setup` runs in the same round
 * trip as the BEGIN (`SET LOCAL ...`). `db` runs queries as TypeORM does; `client` is the raw
 * connection, for a COPY stream.
 */
export async function inSnapshot<R>(dataSource: DataSource, read: (db: Queryable, client: PoolClient) => Promise<R>, setup = ''): Promise<R> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY${setup === '' ? '' : `; ${setup}`}`);
    const result = await read(runner, client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A failed statement leaves the transaction aborted: end it before the connection goes back to the pool.
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await runner.release();
  }
}
