import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The operators' actions on the services' pipes (replayed dead letters), as cases have theirs. */
export class PipeAudit1765100000000 implements MigrationInterface {
  name = 'PipeAudit1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pipe_audit (
        id          bigserial PRIMARY KEY,
        at          timestamptz NOT NULL DEFAULT now(),
        actor       text NOT NULL,
        service     text NOT NULL,
        action      text NOT NULL,
        subject     text NOT NULL,
        event_type  text,
        outcome     text NOT NULL,
        reason      text NOT NULL,
        detail      jsonb
      )`);
    await q.query('CREATE INDEX pipe_audit_by_time ON pipe_audit (at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE pipe_audit');
  }
}
