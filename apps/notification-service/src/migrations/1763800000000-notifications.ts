import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Notifications (one per order and kind), the shipments each order waits on, and per-order change times. */
export class Notifications1763800000000 implements MigrationInterface {
  name = 'Notifications1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id              uuid PRIMARY KEY,
        order_id        text NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('confirmed', 'rejected', 'dispatched', 'delivered', 'cancelled')),
        channel         text NOT NULL,
        status          text NOT NULL CHECK (status IN ('SENT', 'FAILED')),
        attempts        integer NOT NULL DEFAULT 0,
        last_error      text,
        next_attempt_at timestamptz,
        correlation_id  text NOT NULL,
        caused_by       text NOT NULL,
        cause_event_id  uuid NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at         timestamptz,
        updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT notification_once_per_kind UNIQUE (order_id, kind)
      )`);
    await q.query(`CREATE INDEX notification_retry_due ON notification (next_attempt_at) WHERE status = 'FAILED'`);
    await q.query(`CREATE INDEX notification_by_created ON notification (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE order_shipment (
        order_id     text NOT NULL,
        shipment_id  text NOT NULL,
        delivered_at timestamptz,
        cancelled_at timestamptz,
        PRIMARY KEY (order_id, shipment_id)
      )`);

    // Every change to an order's notifications touches its row: GET /milestones?updatedSince pages on it.
    await q.query(`
      CREATE TABLE notified_order (
        order_id   text PRIMARY KEY,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX notified_order_by_updated ON notified_order (updated_at, order_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notified_order');
    await q.query('DROP TABLE order_shipment');
    await q.query('DROP TABLE notification');
  }
}
