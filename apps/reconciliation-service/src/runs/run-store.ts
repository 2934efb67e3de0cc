import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, NotFoundError } from '@commerce/platform';
import type { SourceService } from '../rules/order-view';
import type { RunTally } from './run-tally';
import { type RunKind, RunEntity, type RunStatus } from './run.entity';

export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['completed', 'incomplete', 'failed'];

/** The runs table and the per-service watermarks. */
@Injectable()
export class RunStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(run: { kind: RunKind; trigger: string; requestedBy?: string | null; orderIds?: string[] | null; id?: string }): Promise<RunEntity> {
    const id = run.id ?? randomUUID();
    await this.dataSource.query(
      `INSERT INTO reconciliation_run (id, kind, mode, status, trigger, requested_by, order_ids, queued_at)
       VALUES ($1, $2, $2, 'queued', $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      // queued_at from here (millisecond precision), so the paging cursor, a JS date, matches it exactly.
      [id, run.kind, run.trigger, run.requestedBy ?? null, run.orderIds ?? null, new Date()],
    );
    return this.get(id);
  }

  async get(id: string): Promise<RunEntity> {
    const run = await this.dataSource.getRepository(RunEntity).findOneBy({ id });
    if (!run) throw new NotFoundError('Run', id);
    return run;
  }

  /** Marks the run running for one more attempt; null when it already finished (a duplicate job). */
  async start(id: string): Promise<RunEntity | null> {
    const [rows]: [Array<{ id: string }>, number] = await this.dataSource.query(
      `UPDATE reconciliation_run
          SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now()), error = NULL
        WHERE id = $1 AND status NOT IN ('completed', 'incomplete', 'failed')
        RETURNING id`,
      [id],
    );
    return rows.length > 0 ? this.get(id) : null;
  }

  async setMode(id: string, mode: RunKind, watermarks: Record<string, string> | null): Promise<void> {
    await this.dataSource.query(`UPDATE reconciliation_run SET mode = $2, watermarks = $3::jsonb WHERE id = $1`, [
      id,
      mode,
      watermarks === null ? null : JSON.stringify(watermarks),
    ]);
  }

  /** Saves the counts (and where a full scan got to) in the transaction of the batch they count. */
  async saveProgress(manager: EntityManager, id: string, tally: RunTally, checkpoint: string | null): Promise<void> {
    await manager.query(
      `UPDATE reconciliation_run
          SET orders_checked = $2, rule_counts = $3::jsonb, outcome_counts = $4::jsonb,
              unavailable_services = $5::jsonb, incomplete_rules = $6::text[], checkpoint = COALESCE($7, checkpoint)
        WHERE id = $1`,
      [id, tally.ordersChecked, JSON.stringify(tally.ruleCounts), JSON.stringify(tally.outcomeCounts), JSON.stringify(tally.unavailable), tally.incompleteRules, checkpoint],
    );
  }

  async saveCheckpoint(id: string, checkpoint: string): Promise<void> {
    await this.dataSource.query(`UPDATE reconciliation_run SET checkpoint = $2 WHERE id = $1`, [id, checkpoint]);
  }

  async finish(id: string, tally: RunTally): Promise<RunStatus> {
    const status: RunStatus = tally.complete ? 'completed' : 'incomplete';
    await this.dataSource.transaction(async (manager) => {
      await this.saveProgress(manager, id, tally, null);
      await manager.query(`UPDATE reconciliation_run SET status = $2, finished_at = now() WHERE id = $1`, [id, status]);
    });
    return status;
  }

  /** Records the error; `final` (no attempt left) marks the run failed. */
  async recordFailure(id: string, error: Error, final: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE reconciliation_run
          SET error = $2, status = CASE WHEN $3::boolean THEN 'failed' ELSE status END,
              finished_at = CASE WHEN $3::boolean THEN now() ELSE finished_at END
        WHERE id = $1`,
      [id, error.message.slice(0, 2000), final],
    );
  }

  /** Runs, newest first, keyset-paged. */
  async list(query: { kind?: RunKind; cursor?: string; limit: number }): Promise<{ items: RunEntity[]; nextCursor: string | null }> {
    const builder = this.dataSource
      .getRepository(RunEntity)
      .createQueryBuilder('run')
      .orderBy('run.queued_at', 'DESC')
      .addOrderBy('run.id', 'DESC')
      .limit(query.limit + 1);
    if (query.kind) builder.andWhere('run.kind = :kind', { kind: query.kind });
    if (query.cursor) {
      const position = decodeCursor(query.cursor);
      builder.andWhere('(run.queued_at, run.id) < (:at::timestamptz, :id::uuid)', { at: position.at, id: position.id });
    }
    const rows = await builder.getMany();
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.queuedAt.toISOString(), id: last.id }) : null,
    };
  }

  async latest(limit: number): Promise<RunEntity[]> {
    return this.dataSource.getRepository(RunEntity).find({ order: { queuedAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** Each service's watermark: its changes before this were checked by a completed incremental run. */
  async watermarks(): Promise<Map<SourceService, Date>> {
    const rows: Array<{ service: SourceService; watermark: Date }> = await this.dataSource.query(`SELECT service, watermark FROM scan_watermark`);
    return new Map(rows.map((row) => [row.service, row.watermark]));
  }

  /** Advances (never moves back) the watermarks of these services, once a run completed. */
  async advanceWatermarks(services: readonly SourceService[], to: Date, runId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO scan_watermark (service, watermark, run_id, updated_at)
       SELECT s, $2, $3, now() FROM unnest($1::text[]) AS s
       ON CONFLICT (service) DO UPDATE
         SET watermark = GREATEST(scan_watermark.watermark, EXCLUDED.watermark), run_id = EXCLUDED.run_id, updated_at = now()`,
      [services, to, runId],
    );
  }
}
