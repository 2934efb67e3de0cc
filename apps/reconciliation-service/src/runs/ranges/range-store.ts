import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SOURCE_SERVICES } from '../../rules/order-view';
import type { Rule } from '../../rules/rule';
import { RULE_CATALOG } from '../../settings.module';
import type { KeyRange } from '../full-scan/partitions';
import { FINISHED_RUN_STATUSES, RunStore } from '../run-store';
import { RunTally } from '../run-tally';
import type { RunStatus } from '../run.entity';
import { addCounts, countsOf, type ScanCounts } from './range-counts';

/** One orderId range of a full scan (a run_range row). */
export interface RunRange extends ScanCounts {
  runId: string;
  index: number;
  range: KeyRange;
  status: 'queued' | 'running' | 'done';
  attempts: number;
  /** The instance that took it last (`host:pid:tag`). */
  takenBy: string | null;
  /** The last orderId whose batch committed: a retried range resumes after it. */
  checkpoint: string | null;
  /** Whether this range, the last to finish, closed the run. */
  closedRun: boolean;
}

const COUNTS = `orders_checked, rule_counts, outcome_counts, unavailable_services, incomplete_rules`;
type Row = Record<string, unknown>;
const countsOfRow = (row: Row): ScanCounts => ({
  ordersChecked: Number(row['orders_checked']),
  ruleCounts: row['rule_counts'] as ScanCounts['ruleCounts'],
  outcomeCounts: row['outcome_counts'] as ScanCounts['outcomeCounts'],
  unavailableServices: row['unavailable_services'] as ScanCounts['unavailableServices'],
  incompleteRules: row['incomplete_rules'] as string[],
});
const rangeOfRow = (row: Row): RunRange => ({
  runId: row['run_id'] as string,
  index: row['index'] as number,
  range: { after: row['after_order_id'] as string | null, upTo: row['up_to_order_id'] as string | null },
  status: row['status'] as RunRange['status'],
  attempts: row['attempts'] as number,
  takenBy: row['taken_by'] as string | null,
  checkpoint: row['checkpoint'] as string | null,
  closedRun: row['closed_run'] as boolean,
  ...countsOfRow(row),
});
const countParams = (c: ScanCounts) => [c.ordersChecked, JSON.stringify(c.ruleCounts), JSON.stringify(c.outcomeCounts), JSON.stringify(c.unavailableServices), c.incompleteRules];

/**
 * The ranges of full scans split across instances. Each range keeps its own counts and checkpoint
 * (written with each of its batches, so a retried range resumes with exactly what its committed
 * batches counted); a range adds its counts to the run once, when it finishes, and the last one
 * to finish closes the run.
 */
@Injectable()
export class RangeStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
    private readonly runs: RunStore,
  ) {}

  /** Splits the run into these ranges, once (a retried split keeps the first one's); the indexes not done yet. */
  async split(runId: string, ranges: KeyRange[]): Promise<number[]> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM reconciliation_run WHERE id = $1 FOR UPDATE`, [runId]);
      const [{ n }]: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM run_range WHERE run_id = $1`, [runId]);
      if (n > 0) return;
      await manager.query(
        `INSERT INTO run_range (run_id, index, after_order_id, up_to_order_id)
         SELECT $1, r.i - 1, r.after_id, r.up_to FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS r(after_id, up_to, i)`,
        [runId, ranges.map((r) => r.after), ranges.map((r) => r.upTo)],
      );
      await manager.query(`UPDATE reconciliation_run SET ranges_total = $2, ranges_done = 0 WHERE id = $1`, [runId, ranges.length]);
    });
    const rows: Array<{ index: number }> = await this.dataSource.query(`SELECT index FROM run_range WHERE run_id = $1 AND status <> 'done' ORDER BY index`, [runId]);
    return rows.map((row) => row.index);
  }

  /** Takes the range for one more attempt; null when it is done or its run has finished (failed). */
  async take(runId: string, index: number, instance: string): Promise<RunRange | null> {
    const [rows]: [Row[], number] = await this.dataSource.query(
      `UPDATE run_range r
          SET status = 'running', attempts = r.attempts + 1, taken_by = $3, started_at = COALESCE(r.started_at, now())
         FROM reconciliation_run run
        WHERE r.run_id = $1 AND r.index = $2 AND r.status <> 'done'
          AND run.id = r.run_id AND run.status NOT IN ('completed', 'incomplete', 'failed')
        RETURNING r.*`,
      [runId, index, instance],
    );
    return rows.length > 0 ? rangeOfRow(rows[0]) : null;
  }

  /** The range's counts so far and its checkpoint, in the transaction of the batch they count. */
  async saveProgress(manager: EntityManager, runId: string, index: number, tally: RunTally, checkpoint: string): Promise<void> {
    await manager.query(
      `UPDATE run_range SET (${COUNTS}) = ($3, $4::jsonb, $5::jsonb, $6::jsonb, $7::text[]), checkpoint = $8
        WHERE run_id = $1 AND index = $2`,
      [runId, index, ...countParams(countsOf(tally)), checkpoint],
    );
  }

  /**
   * The range reached its end. One transaction, the run's row locked first (the ranges of a run
   * finishing at the same moment, on any instance, go one at a time): the range is marked done
   * only if it was not (a retried job adds nothing twice), its counts are added to the run's,
   * and the range that brings the done count to the total closes the run (exactly one does; an
   * incremental run that scanned everything then starts its watermarks).
   */
  async finish(runId: string, index: number, tally: RunTally): Promise<{ added: boolean; closed: RunStatus | null }> {
    return this.dataSource.transaction(async (manager) => {
      const [run]: Row[] = await manager.query(
        `SELECT kind, status, started_at, ranges_total, ranges_done, ${COUNTS} FROM reconciliation_run WHERE id = $1 FOR UPDATE`,
        [runId],
      );
      const range = countsOf(tally);
      const [flipped]: [Row[], number] = await manager.query(
        `UPDATE run_range SET status = 'done', finished_at = now(), (${COUNTS}) = ($3, $4::jsonb, $5::jsonb, $6::jsonb, $7::text[])
          WHERE run_id = $1 AND index = $2 AND status <> 'done' RETURNING index`,
        [runId, index, ...countParams(range)],
      );
      if (!run || flipped.length === 0) return { added: false, closed: null };
      const total = addCounts(countsOfRow(run), range);
      const done = Number(run['ranges_done']) + 1;
      const open = !FINISHED_RUN_STATUSES.includes(run['status'] as RunStatus);
      const closed: RunStatus | null = open && done >= Number(run['ranges_total']) ? (new RunTally(this.rules, total).complete ? 'completed' : 'incomplete') : null;
      await manager.query(
        `UPDATE reconciliation_run
            SET (${COUNTS}) = ($2, $3::jsonb, $4::jsonb, $5::jsonb, $6::text[]), ranges_done = $7,
                status = COALESCE($8::text, status), finished_at = CASE WHEN $8::text IS NULL THEN finished_at ELSE now() END
          WHERE id = $1`,
        [runId, ...countParams(total), done, closed],
      );
      if (closed) {
        await manager.query(`UPDATE run_range SET closed_run = true WHERE run_id = $1 AND index = $2`, [runId, index]);
        // From the run's first start: every range read the services after it.
        if (closed === 'completed' && run['kind'] === 'incremental') await this.runs.advanceWatermarks(SOURCE_SERVICES, run['started_at'] as Date, runId, manager);
      }
      return { added: true, closed };
    });
  }

  /** The run's ranges, in keyspace order. */
  async list(runId: string): Promise<RunRange[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM run_range WHERE run_id = $1 ORDER BY index`, [runId]);
    return rows.map(rangeOfRow);
  }
}
