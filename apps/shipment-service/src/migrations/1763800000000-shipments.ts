import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The three facts a shipment needs (per order), and the shipments themselves. */
export class Shipments1763800000000 implements MigrationInterface {
  name = 'Shipments1763800000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per order: the facts arrive on three topics in any order, so each is stored as it
    // comes; the row is also the lock that serialises everything done for one order.
    await q.query(`
      CREATE TABLE order_facts (
        order_id                  text PRIMARY KEY,
        correlation_id            text,
        currency                  char(3),
        order_lines               jsonb,
        shipping_address          jsonb,
        order_placed_at           timestamptz,
        reservation_id            text,
        reserved_lines            jsonb,
        inventory_reserved_at     timestamptz,
        payment_id                text,
        authorized_minor          bigint,
        payment_authorized_at     timestamptz,
        shipments_created_at      timestamptz,
        cancellation_requested_at timestamptz,
        cancellation_reason       text,
        created_at                timestamptz NOT NULL DEFAULT now(),
        updated_at                timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX order_facts_updated ON order_facts (updated_at, order_id)`);

    await q.query(`
      CREATE TABLE shipment (
        id                          text PRIMARY KEY,
        order_id                    text NOT NULL REFERENCES order_facts (order_id),
        node                        text NOT NULL,
        status                      text NOT NULL CHECK (status IN ('CREATED', 'DISPATCHED', 'DELIVERED', 'CANCELLED')),
        lines                       jsonb NOT NULL,
        value_minor                 bigint NOT NULL CHECK (value_minor >= 0),
        currency                    char(3) NOT NULL,
        shipping_address            jsonb NOT NULL,
        created_at                  timestamptz NOT NULL DEFAULT now(),
        dispatched_at               timestamptz,
        delivered_at                timestamptz,
        cancelled_at                timestamptz,
        cancellation_reason         text,
        cancellation_refused_at     timestamptz,
        cancellation_refused_reason text,
        last_event_id               uuid,
        updated_at                  timestamptz NOT NULL DEFAULT now(),
        -- One shipment per warehouse node and order, whatever happens upstream.
        CONSTRAINT shipment_one_per_node UNIQUE (order_id, node)
      )`);
    // The auto-dispatch sweep's two queries.
    await q.query(`CREATE INDEX shipment_awaiting_dispatch ON shipment (created_at) WHERE status = 'CREATED'`);
    await q.query(`CREATE INDEX shipment_awaiting_delivery ON shipment (dispatched_at) WHERE status = 'DISPATCHED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE shipment');
    await q.query('DROP TABLE order_facts');
  }
}
