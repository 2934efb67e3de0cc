import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { EventEnvelope } from '@commerce/contracts';

/** What we need of the pg client under TypeORM's query runner. */
interface SimpleQueryClient {
  query(text: string): Promise<InsertResult | InsertResult[]>;
  escapeLiteral(value: string): string;
}

interface InsertResult {
  rows: Array<{ event_id: string }>;
}

/** TypeORM's bookkeeping of a transaction it did not open itself: its COMMIT and ROLLBACK then work as usual. */
function openedBy(runner: QueryRunner): void {
  Object.assign(runner as unknown as { isTransactionActive: boolean; transactionDepth: number }, { isTransactionActive: true, transactionDepth: 1 });
}

/**
 * Runs `work` in a transaction whose BEGIN travels with the insert of the events' inbox rows: one
 * round trip, where TypeORM's `transaction` spends one on BEGIN alone (a consumed message's
 * transaction was BEGIN, inbox row, handler, COMMIT). The two go as one simple query, so the
 * insert's values are literals, escaped by pg, and Postgres parses it on every call: cheaper than
 * the round trip on both ends. `work` gets the transaction and the ids (lower case) of the events
 * not seen before; then COMMIT, or ROLLBACK when anything failed.
 */
export async function inInboxTransaction<T>(
  dataSource: DataSource,
  events: readonly EventEnvelope[],
  work: (manager: EntityManager, fresh: Set<string>) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as SimpleQueryClient;
    // Marked open first: if the insert fails after BEGIN, the rollback below ends the transaction
    // before the connection goes back to the pool (a ROLLBACK without one is only a warning).
    openedBy(runner);
    const values = events.map((e) => `(${client.escapeLiteral(e.eventId)}::uuid, ${client.escapeLiteral(e.type)}, ${client.escapeLiteral(e.orderId)})`);
    const answers = await client.query(
      values.length === 0
        ? 'BEGIN'
        : `BEGIN; INSERT INTO processed_event (event_id, event_type, order_id) VALUES ${values.join(', ')}
           ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    );
    const inserted = Array.isArray(answers) ? answers[answers.length - 1].rows : [];
    const result = await work(runner.manager, new Set(inserted.map((row) => row.event_id)));
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
