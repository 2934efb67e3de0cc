import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Orders (with the idempotency key they were placed under) and the facts heard about them. */
export class Orders1763800000000 implements MigrationInterface {
  name = 'Orders1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_order (
        id                        uuid PRIMARY KEY,
        customer_id               text NOT NULL,
        currency                  text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        lines                     jsonb NOT NULL,
        total_minor               bigint NOT NULL CHECK (total_minor >= 0),
        units                     integer NOT NULL CHECK (units > 0),
        payment_token             text NOT NULL,
        shipping_address          jsonb NOT NULL,
        status                    text NOT NULL,
        correlation_id            text NOT NULL,
        idempotency_key           text NOT NULL,
        request_fingerprint       text NOT NULL,
        placed_at                 timestamptz NOT NULL,
        cancellation_requested_at timestamptz,
        cancellation_reason       text,
        cancelled_at              timestamptz,
        updated_at                timestamptz NOT NULL,
        CONSTRAINT customer_order_idempotency_key_unique UNIQUE (idempotency_key)
      )`);
    // Keyset pages: newest first for GET /orders, oldest change first for GET /milestones.
    await q.query(`CREATE INDEX customer_order_by_placed ON customer_order (placed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX customer_order_by_customer ON customer_order (customer_id, placed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX customer_order_by_status ON customer_order (status, placed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX customer_order_by_updated ON customer_order (updated_at, id)`);

    await q.query(`
      CREATE TABLE order_fact (
        id           bigserial PRIMARY KEY,
        order_id     uuid NOT NULL REFERENCES customer_order (id),
        event_type   text NOT NULL,
        ref          text NOT NULL DEFAULT '',
        event_id     uuid NOT NULL,
        occurred_at  timestamptz NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        amount_minor bigint,
        currency     text,
        detail       jsonb,
        -- The same fact heard again (a republished event has a new eventId) is recorded once.
        CONSTRAINT order_fact_once UNIQUE (order_id, event_type, ref)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_fact');
    await q.query('DROP TABLE customer_order');
  }
}
