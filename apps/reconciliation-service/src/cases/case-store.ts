import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrderView } from '../rules/order-view';
import type { Rule } from '../rules/rule';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { type CaseAction, type CaseStatus, nextStatus, type RepairKind } from './case-lifecycle';
import { RepairCaseEntity } from './case.entity';

export interface Detection {
  rule: Rule;
  view: OrderView;
  since: Date;
  details: Record<string, unknown>;
}

/** The statuses of an open case, as SQL (the one-open-case-per-(order, rule) index has the same). */
export const OPEN_SQL = `('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION')`;

/** A Postgres unique violation (the one-open-case-per-(order, rule) index). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * The repair cases in Postgres (grace deadlines and what a run reads of both: CaseIndex). Every
 * method takes the caller's transaction; every status change goes through `transition`, which
 * checks the lifecycle, guards on the status it read and writes the audit row, and with it the
 * webhook deliveries the change makes.
 */
@Injectable()
export class CaseStore {
  constructor(private readonly webhooks: WebhookOutbox) {}

  /**
   * Opens a case for the detection, or (when another writer opened it meanwhile, e.g. the same run
   * retried after a crash) updates that open case: never two open cases per (order, rule).
   */
  async open(manager: EntityManager, detection: Detection, actor: string, now: Date): Promise<{ id: string; inserted: boolean; status: CaseStatus }> {
    const { rule, view } = detection;
    const [row]: Array<{ id: string; inserted: boolean; status: CaseStatus }> = await manager.query(
      `INSERT INTO repair_case (id, order_id, rule_id, severity, repair_kind, status, details, evidence, diverged_since,
                                opened_at, opened_by, last_detected_at, detection_count, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'OPEN', $6::jsonb, $7::jsonb, $8, $9, $10, $9, 1, $9)
       ON CONFLICT (order_id, rule_id) WHERE status IN ${OPEN_SQL}
       DO UPDATE SET last_detected_at = EXCLUDED.last_detected_at,
                     detection_count = repair_case.detection_count + 1,
                     details = EXCLUDED.details,
                     evidence = EXCLUDED.evidence,
                     updated_at = EXCLUDED.updated_at
       RETURNING id, (xmax = 0) AS inserted, status`,
      [randomUUID(), view.orderId, rule.id, rule.severity, rule.repair.kind, JSON.stringify(detection.details), JSON.stringify(view), detection.since, now, actor],
    );
    if (row.inserted) {
      await this.audit(manager, row.id, now, actor, null, 'OPEN', `${rule.id}: ${rule.description} Diverged since ${detection.since.toISOString()}.`, {
        details: detection.details,
      });
    }
    return row;
  }

  /** Records that open cases were seen again: latest evidence and details, one more detection. */
  async redetect(manager: EntityManager, detections: Array<{ caseId: string; detection: Detection }>, now: Date): Promise<void> {
    if (detections.length === 0) return;
    await manager.query(
      `UPDATE repair_case c
          SET last_detected_at = $1, detection_count = c.detection_count + 1, updated_at = $1,
              evidence = u.evidence, details = u.details
         FROM unnest($2::uuid[], $3::jsonb[], $4::jsonb[]) AS u(id, evidence, details)
        WHERE c.id = u.id`,
      [
        now,
        detections.map((d) => d.caseId),
        detections.map((d) => JSON.stringify(d.detection.view)),
        detections.map((d) => JSON.stringify(d.detection.details)),
      ],
    );
  }

  /**
   * Moves a case by a lifecycle action, guarded on the status the caller saw (a concurrent
   * change makes this a no-op returning false), with its audit row.
   */
  async transition(
    manager: EntityManager,
    kase: { id: string; status: CaseStatus; repairKind: RepairKind },
    action: CaseAction,
    change: { actor: string; reason: string; now: Date; detail?: Record<string, unknown>; set?: Partial<Record<'resolution' | 'repairAttempts' | 'lastRepairAt' | 'evidence', unknown>> },
  ): Promise<boolean> {
    const to = nextStatus(kase, action);
    const closes = to === 'RESOLVED' || to === 'DISMISSED';
    const set = change.set ?? {};
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE repair_case
          SET status = $3::text, updated_at = $4::timestamptz,
              closed_at = CASE WHEN $5::boolean THEN $4::timestamptz ELSE NULL END,
              resolution = CASE WHEN $5::boolean THEN $6::text ELSE NULL END,
              repair_attempts = COALESCE($7::integer, repair_attempts),
              last_repair_at = COALESCE($8::timestamptz, last_repair_at),
              evidence = COALESCE($9::jsonb, evidence)
        WHERE id = $1::uuid AND status = $2::text`,
      [
        kase.id,
        kase.status,
        to,
        change.now,
        closes,
        (set.resolution as string | undefined) ?? change.reason,
        set.repairAttempts ?? null,
        set.lastRepairAt ?? null,
        set.evidence === undefined ? null : JSON.stringify(set.evidence),
      ],
    );
    if (affected === 0) return false;
    await this.audit(manager, kase.id, change.now, change.actor, kase.status, to, change.reason, change.detail);
    return true;
  }

  /**
   * Moves many cases by one lifecycle action in two statements, each guarded on the status the
   * caller saw as `transition` is, with an audit row each; answers how many moved. For what a run
   * does to many cases at once (a scan after many repairs finds them all holding again), where a
   * round trip per case and per audit row was most of an incremental run's time.
   */
  async transitionMany(
    manager: EntityManager,
    cases: ReadonlyArray<{ id: string; status: CaseStatus; repairKind: RepairKind }>,
    action: CaseAction,
    change: { actor: string; reason: string; now: Date; detail?: Record<string, unknown> },
  ): Promise<number> {
    if (cases.length === 0) return 0;
    const targets = cases.map((kase) => nextStatus(kase, action));
    const moved: Array<{ case_id: string; from_status: CaseStatus; to_status: CaseStatus }> = await manager.query(
      `WITH moved AS (
         UPDATE repair_case c
            SET status = u.to_status, updated_at = $1::timestamptz,
                closed_at = CASE WHEN u.to_status IN ('RESOLVED', 'DISMISSED') THEN $1::timestamptz ELSE NULL END,
                resolution = CASE WHEN u.to_status IN ('RESOLVED', 'DISMISSED') THEN $2::text ELSE NULL END
           FROM unnest($3::uuid[], $4::text[], $5::text[]) AS u(id, from_status, to_status)
          WHERE c.id = u.id AND c.status = u.from_status
          RETURNING c.id, u.from_status, u.to_status
       )
       INSERT INTO case_audit (case_id, at, actor, from_status, to_status, reason, detail)
       SELECT id, $1::timestamptz, $6::text, from_status, to_status, $2::text, $7::jsonb FROM moved
       RETURNING case_id, from_status, to_status`,
      [
        change.now,
        change.reason,
        cases.map((kase) => kase.id),
        cases.map((kase) => kase.status),
        targets,
        change.actor,
        change.detail === undefined ? null : JSON.stringify(change.detail),
      ],
    );
    await this.webhooks.enqueue(
      manager,
      moved.map((row) => ({ caseId: row.case_id, from: row.from_status, to: row.to_status, at: change.now, actor: change.actor, reason: change.reason })),
    );
    return moved.length;
  }

  async audit(
    manager: EntityManager,
    caseId: string,
    at: Date,
    actor: string,
    from: CaseStatus | null,
    to: CaseStatus,
    reason: string,
    detail?: Record<string, unknown>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO case_audit (case_id, at, actor, from_status, to_status, reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [caseId, at, actor, from, to, reason, detail === undefined ? null : JSON.stringify(detail)],
    );
    await this.webhooks.enqueue(manager, [{ caseId, from, to, at, actor, reason }]);
  }

  /** The case, row-locked for the rest of the transaction. */
  async lock(manager: EntityManager, caseId: string): Promise<RepairCaseEntity | null> {
    return manager.getRepository(RepairCaseEntity).findOne({ where: { id: caseId }, lock: { mode: 'pessimistic_write' } });
  }
}
