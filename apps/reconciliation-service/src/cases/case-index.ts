import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseStatus, RepairKind } from './case-lifecycle';
import { OPEN_SQL } from './case-store';

/** What a run needs to know about the cases and grace deadlines of a batch of orders. */
export interface KnownForBatch {
  /** Open cases by `orderId/rule`. */
  open: Map<string, OpenCase>;
  /** `orderId/rule` keys with a DISMISSED case: a person accepted the divergence. */
  dismissed: Set<string>;
  /** `orderId/rule` keys with a grace deadline. */
  grace: Set<string>;
}

export interface OpenCase {
  id: string;
  orderId: string;
  ruleId: string;
  status: CaseStatus;
  repairKind: RepairKind;
  repairAttempts: number;
  lastRepairAt: Date | null;
}

export interface GraceDeadline {
  orderId: string;
  ruleId: string;
  dueAt: Date;
  since: Date;
}

export const caseKey = (orderId: string, ruleId: string) => `${orderId}\u0000${ruleId}`;
export const splitKey = (key: string): [string, string] => key.split('\u0000') as [string, string];

/**
 * The cases and grace deadlines by (order, rule), as a run reads and keeps them: what a batch
 * already knows, the grace deadlines it sets and clears, and the orders a run must look at again.
 * Every method takes the caller's transaction (or manager); case status changes go through CaseStore.
 */
@Injectable()
export class CaseIndex {
  async knownFor(manager: EntityManager, orderIds: string[]): Promise<KnownForBatch> {
    const rows: Array<{
      kind: 'case' | 'grace';
      id: string | null;
      order_id: string;
      rule_id: string;
      status: CaseStatus | null;
      repair_kind: RepairKind | null;
      repair_attempts: number | null;
      last_repair_at: Date | null;
    }> = await manager.query(
      `SELECT 'case' AS kind, id, order_id, rule_id, status, repair_kind, repair_attempts, last_repair_at
         FROM repair_case
        WHERE order_id = ANY($1::text[]) AND status IN ('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION', 'DISMISSED')
       UNION ALL
       SELECT 'grace', NULL, order_id, rule_id, NULL, NULL, NULL, NULL
         FROM grace_deadline
        WHERE order_id = ANY($1::text[])`,
      [orderIds],
    );
    const known: KnownForBatch = { open: new Map(), dismissed: new Set(), grace: new Set() };
    for (const row of rows) {
      const key = caseKey(row.order_id, row.rule_id);
      if (row.kind === 'grace') known.grace.add(key);
      else if (row.status === 'DISMISSED') known.dismissed.add(key);
      else if (row.id && row.status && row.repair_kind) {
        known.open.set(key, {
          id: row.id,
          orderId: row.order_id,
          ruleId: row.rule_id,
          status: row.status,
          repairKind: row.repair_kind,
          repairAttempts: row.repair_attempts ?? 0,
          lastRepairAt: row.last_repair_at,
        });
      }
    }
    return known;
  }

  async upsertGrace(manager: EntityManager, deadlines: GraceDeadline[]): Promise<void> {
    if (deadlines.length === 0) return;
    await manager.query(
      `INSERT INTO grace_deadline (order_id, rule_id, due_at, diverged_since)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
       ON CONFLICT (order_id, rule_id) DO UPDATE SET due_at = EXCLUDED.due_at, diverged_since = EXCLUDED.diverged_since`,
      [deadlines.map((d) => d.orderId), deadlines.map((d) => d.ruleId), deadlines.map((d) => d.dueAt), deadlines.map((d) => d.since)],
    );
  }

  async deleteGrace(manager: EntityManager, keys: Array<{ orderId: string; ruleId: string }>): Promise<void> {
    if (keys.length === 0) return;
    await manager.query(
      `DELETE FROM grace_deadline g USING unnest($1::text[], $2::text[]) AS k(order_id, rule_id)
        WHERE g.order_id = k.order_id AND g.rule_id = k.rule_id`,
      [keys.map((k) => k.orderId), keys.map((k) => k.ruleId)],
    );
  }

  /** Pages of orderIds with an open case, ascending. */
  async *openCaseOrderIds(manager: EntityManager, pageSize: number): AsyncGenerator<string[]> {
    yield* keysetOrderIds(manager, `SELECT DISTINCT order_id FROM repair_case WHERE status IN ${OPEN_SQL} AND order_id > $1 ORDER BY order_id LIMIT $2`, pageSize);
  }

  /** Pages of orderIds whose grace deadline is due, ascending. */
  async *dueOrderIds(manager: EntityManager, now: Date, pageSize: number): AsyncGenerator<string[]> {
    yield* keysetOrderIds(
      manager,
      `SELECT DISTINCT order_id FROM grace_deadline WHERE due_at <= $3 AND order_id > $1 ORDER BY order_id LIMIT $2`,
      pageSize,
      [now],
    );
  }
}

async function* keysetOrderIds(manager: EntityManager, sql: string, pageSize: number, extra: unknown[] = []): AsyncGenerator<string[]> {
  let after = '';
  for (;;) {
    const rows: Array<{ order_id: string }> = await manager.query(sql, [after, pageSize, ...extra]);
    if (rows.length === 0) return;
    yield rows.map((row) => row.order_id);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].order_id;
  }
}
