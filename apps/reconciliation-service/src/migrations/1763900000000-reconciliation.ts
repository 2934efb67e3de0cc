import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs, per-service watermarks, repair cases with their audit trail, and grace deadlines. */
export class Reconciliation1763900000000 implements MigrationInterface {
  name = 'Reconciliation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reconciliation_run (
        id                   uuid PRIMARY KEY,
        kind                 text NOT NULL CHECK (kind IN ('full', 'incremental', 'order')),
        -- How it actually ran: an incremental run without watermarks scans everything once.
        mode                 text NOT NULL CHECK (mode IN ('full', 'incremental', 'order')),
        status               text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'incomplete', 'failed')),
        trigger              text NOT NULL,
        requested_by         text,
        order_ids            text[],
        queued_at            timestamptz NOT NULL DEFAULT now(),
        started_at           timestamptz,
        finished_at          timestamptz,
        attempts             integer NOT NULL DEFAULT 0,
        -- Full scans: the last orderId whose batch committed; a retried run resumes after it.
        checkpoint           text,
        orders_checked       bigint NOT NULL DEFAULT 0,
        rule_counts          jsonb NOT NULL DEFAULT '{}',
        outcome_counts       jsonb NOT NULL DEFAULT '{}',
        unavailable_services jsonb NOT NULL DEFAULT '{}',
        incomplete_rules     text[] NOT NULL DEFAULT '{}',
        watermarks           jsonb,
        error                text
      )`);
    await q.query(`CREATE INDEX reconciliation_run_by_queued ON reconciliation_run (queued_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE scan_watermark (
        service    text PRIMARY KEY,
        watermark  timestamptz NOT NULL,
        run_id     uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE repair_case (
        id               uuid PRIMARY KEY,
        order_id         text NOT NULL,
        rule_id          text NOT NULL,
        severity         text NOT NULL,
        repair_kind      text NOT NULL CHECK (repair_kind IN ('auto', 'manual')),
        status           text NOT NULL CHECK (status IN ('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION', 'RESOLVED', 'DISMISSED')),
        details          jsonb NOT NULL,
        -- Every service's milestones for the order at the latest detection (an OrderView).
        evidence         jsonb NOT NULL,
        diverged_since   timestamptz NOT NULL,
        opened_at        timestamptz NOT NULL,
        opened_by        text NOT NULL,
        last_detected_at timestamptz NOT NULL,
        detection_count  integer NOT NULL DEFAULT 1,
        repair_attempts  integer NOT NULL DEFAULT 0,
        last_repair_at   timestamptz,
        closed_at        timestamptz,
        resolution       text,
        updated_at       timestamptz NOT NULL
      )`);
    // At most one open case per (order, rule): detections upsert into it, a retried run cannot duplicate it.
    await q.query(`
      CREATE UNIQUE INDEX repair_case_one_open ON repair_case (order_id, rule_id)
      WHERE status IN ('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION')`);
    await q.query(`CREATE INDEX repair_case_by_order ON repair_case (order_id, rule_id)`);
    await q.query(`CREATE INDEX repair_case_by_opened ON repair_case (opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX repair_case_by_status ON repair_case (status, opened_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE case_audit (
        id          bigserial PRIMARY KEY,
        case_id     uuid NOT NULL REFERENCES repair_case (id),
        at          timestamptz NOT NULL DEFAULT now(),
        -- An operator's name, or the job that acted ("job:runs/run-…", "reconciliation").
        actor       text NOT NULL,
        from_status text,
        to_status   text NOT NULL,
        reason      text NOT NULL,
        detail      jsonb
      )`);
    await q.query(`CREATE INDEX case_audit_by_case ON case_audit (case_id, id)`);

    // A divergence seen within its grace: the incremental scan checks the order again once it is due.
    await q.query(`
      CREATE TABLE grace_deadline (
        order_id       text NOT NULL,
        rule_id        text NOT NULL,
        due_at         timestamptz NOT NULL,
        diverged_since timestamptz NOT NULL,
        PRIMARY KEY (order_id, rule_id)
      )`);
    await q.query(`CREATE INDEX grace_deadline_due ON grace_deadline (due_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE grace_deadline');
    await q.query('DROP TABLE case_audit');
    await q.query('DROP TABLE repair_case');
    await q.query('DROP TABLE scan_watermark');
    await q.query('DROP TABLE reconciliation_run');
  }
}
