import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox, inbox and dead-letter tables: every service includes this migration. */
export class MessagingTables1763770000000 implements MigrationInterface {
  name = 'MessagingTables1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_message (
        id           bigserial PRIMARY KEY,
        event_id     uuid NOT NULL UNIQUE,
        topic        text NOT NULL,
        message_key  text NOT NULL,
        event_type   text NOT NULL,
        envelope     jsonb NOT NULL,
        headers      jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_message_pending ON outbox_message (id) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX outbox_message_by_key ON outbox_message (message_key, event_type)`);
    // Wakes the relay at commit time instead of waiting for its next poll.
    await q.query(`
      CREATE FUNCTION outbox_message_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('outbox_message', ''); RETURN NULL; END $$`);
    await q.query(`
      CREATE TRIGGER outbox_message_inserted AFTER INSERT ON outbox_message
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_message_notify()`);

    await q.query(`
      CREATE TABLE processed_event (
        event_id     uuid PRIMARY KEY,
        event_type   text NOT NULL,
        order_id     text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE dead_letter (
        id               bigserial PRIMARY KEY,
        event_id         text,
        event_type       text,
        order_id         text,
        source_topic     text NOT NULL,
        source_partition int NOT NULL,
        source_offset    text NOT NULL,
        message_key      text,
        message_value    text,
        headers          jsonb NOT NULL,
        reason           text NOT NULL,
        attempts         int NOT NULL,
        failed_at        timestamptz NOT NULL DEFAULT now(),
        replayed_at      timestamptz,
        replay_outcome   text
      )`);
    await q.query(`CREATE INDEX dead_letter_pending ON dead_letter (failed_at) WHERE replayed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dead_letter');
    await q.query('DROP TABLE processed_event');
    await q.query('DROP TRIGGER outbox_message_inserted ON outbox_message');
    await q.query('DROP FUNCTION outbox_message_notify()');
    await q.query('DROP TABLE outbox_message');
  }
}
