import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Payments (one per order), their captures and refunds, and the dispatched shipments heard of. */
export class PaymentTables1763780000000 implements MigrationInterface {
  name = 'PaymentTables1763780000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per order from the first event heard about it: it collects the token
    // (OrderPlaced) and the amount (InventoryReserved) in whichever order they arrive.
    // The unique orderId is what makes a second charge impossible.
    await q.query(`
      CREATE TABLE payment (
        payment_id                uuid PRIMARY KEY,
        order_id                  text NOT NULL UNIQUE,
        status                    text NOT NULL CHECK (status IN ('PENDING', 'AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED',
                                    'VOIDED', 'REFUNDED', 'DECLINED', 'CANCELLED_BEFORE_AUTHORIZATION')),
        payment_token             text,
        order_total_minor         bigint,
        currency                  char(3),
        order_placed_at           timestamptz,
        reservation_id            text,
        amount_to_authorize_minor bigint CHECK (amount_to_authorize_minor >= 0),
        reservation_received_at   timestamptz,
        cancellation_requested_at timestamptz,
        cancellation_reason       text,
        gateway_reference         text,
        authorized_minor          bigint NOT NULL DEFAULT 0 CHECK (authorized_minor >= 0),
        captured_minor            bigint NOT NULL DEFAULT 0 CHECK (captured_minor >= 0),
        refunded_minor            bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
        voided_minor              bigint NOT NULL DEFAULT 0 CHECK (voided_minor >= 0),
        authorized_at             timestamptz,
        declined_at               timestamptz,
        decline_reason            text,
        voided_at                 timestamptz,
        created_at                timestamptz NOT NULL DEFAULT now(),
        updated_at                timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_never_beyond_authorization CHECK (captured_minor + voided_minor <= authorized_minor),
        CONSTRAINT payment_refund_within_capture CHECK (refunded_minor <= captured_minor)
      )`);
    await q.query(`CREATE INDEX payment_updated ON payment (updated_at, order_id)`);
    await q.query(`CREATE INDEX payment_created ON payment (created_at DESC, order_id DESC)`);
    await q.query(`CREATE INDEX payment_status_created ON payment (status, created_at DESC, order_id DESC)`);

    // The primary key is the "capture each shipment once" rule.
    await q.query(`
      CREATE TABLE payment_capture (
        payment_id   uuid NOT NULL REFERENCES payment (payment_id) ON DELETE CASCADE,
        shipment_id  text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency     char(3) NOT NULL,
        captured_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (payment_id, shipment_id)
      )`);

    // request_key makes a refund request idempotent ('order-cancellation', 'case:<caseId>');
    // NULL for "refund the rest", which is idempotent by itself.
    await q.query(`
      CREATE TABLE payment_refund (
        refund_id    uuid PRIMARY KEY,
        payment_id   uuid NOT NULL REFERENCES payment (payment_id) ON DELETE CASCADE,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency     char(3) NOT NULL,
        reason       text NOT NULL,
        request_key  text,
        refunded_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (payment_id, request_key)
      )`);

    // What each ShipmentDispatched said, so CapturePaymentRequested (which names only the
    // shipment) knows the value to capture.
    await q.query(`
      CREATE TABLE dispatched_shipment (
        order_id      text NOT NULL,
        shipment_id   text NOT NULL,
        node          text NOT NULL,
        value_minor   bigint NOT NULL CHECK (value_minor >= 0),
        currency      char(3) NOT NULL,
        dispatched_at timestamptz NOT NULL,
        PRIMARY KEY (order_id, shipment_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dispatched_shipment');
    await q.query('DROP TABLE payment_refund');
    await q.query('DROP TABLE payment_capture');
    await q.query('DROP TABLE payment');
  }
}
