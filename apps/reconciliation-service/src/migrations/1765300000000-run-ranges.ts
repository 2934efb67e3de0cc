import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A full scan split into orderId ranges that any instance takes (one BullMQ job each): per range,
 * where it got to and what it counted; on the run, how many ranges there are and how many have
 * added their counts to it.
 */
export class RunRanges1765300000000 implements MigrationInterface {
  name = 'RunRanges1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE run_range (
        run_id               uuid NOT NULL REFERENCES reconciliation_run (id) ON DELETE CASCADE,
        index                integer NOT NULL,
        after_order_id       text,
        up_to_order_id       text,
        status               text NOT NULL DEFAULT 'queued',
        attempts             integer NOT NULL DEFAULT 0,
        taken_by             text,
        checkpoint           text,
        orders_checked       bigint NOT NULL DEFAULT 0,
        rule_counts          jsonb NOT NULL DEFAULT '{}',
        outcome_counts       jsonb NOT NULL DEFAULT '{}',
        unavailable_services jsonb NOT NULL DEFAULT '{}',
        incomplete_rules     text[] NOT NULL DEFAULT '{}',
        closed_run           boolean NOT NULL DEFAULT false,
        started_at           timestamptz,
        finished_at          timestamptz,
        PRIMARY KEY (run_id, index)
      )`);
    await q.query(`ALTER TABLE reconciliation_run ADD COLUMN ranges_total integer, ADD COLUMN ranges_done integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE reconciliation_run DROP COLUMN ranges_total, DROP COLUMN ranges_done');
    await q.query('DROP TABLE run_range');
  }
}
