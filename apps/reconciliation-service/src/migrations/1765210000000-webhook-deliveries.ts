import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhooks' own outbox: a delivery per (case change, endpoint wanting it), written in the
 * transaction of the change, and every attempt to deliver it.
 */
export class WebhookDeliveries1765210000000 implements MigrationInterface {
  name = 'WebhookDeliveries1765210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_delivery (
        id               uuid PRIMARY KEY,
        -- The order deliveries were written in: each endpoint receives its deliveries in this order.
        seq              bigserial NOT NULL UNIQUE,
        endpoint         text NOT NULL,
        event_type       text NOT NULL,
        case_id          uuid NOT NULL REFERENCES repair_case (id),
        order_id         text NOT NULL,
        payload          jsonb NOT NULL,
        status           text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
        attempts         integer NOT NULL DEFAULT 0,
        -- A redelivery gives the delivery WEBHOOK_MAX_ATTEMPTS more from where it stands.
        max_attempts     integer NOT NULL,
        next_attempt_at  timestamptz NOT NULL,
        last_attempt_at  timestamptz,
        last_status_code integer,
        last_error       text,
        created_at       timestamptz NOT NULL,
        delivered_at     timestamptz
      )`);
    // The worker's question: each endpoint's oldest pending delivery.
    await q.query(`CREATE INDEX webhook_delivery_pending ON webhook_delivery (endpoint, seq) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX webhook_delivery_by_status ON webhook_delivery (status, seq DESC)`);
    await q.query(`
      CREATE TABLE webhook_attempt (
        delivery_id     uuid NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
        attempt         integer NOT NULL,
        at              timestamptz NOT NULL,
        status_code     integer,
        error           text,
        duration_ms     integer NOT NULL,
        outcome         text NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed')),
        next_attempt_at timestamptz,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_attempt');
    await q.query('DROP TABLE webhook_delivery');
  }
}
