import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gateway calls decided but not yet applied. The payment row is locked only to decide a call
 * (written here) and to apply its outcome; the gateway is called in between, unlocked. A row
 * left by a crash is completed by the next message about the same payment (the call id is the
 * gateway's idempotency key). Applied calls are deleted: their record is the capture, refund or
 * figures they moved, so /milestones never sees a call in flight.
 */
export class PaymentGatewayCalls1765000000000 implements MigrationInterface {
  name = 'PaymentGatewayCalls1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payment_gateway_call (
        call_id      uuid PRIMARY KEY,
        payment_id   uuid NOT NULL REFERENCES payment (payment_id) ON DELETE CASCADE,
        kind         text NOT NULL CHECK (kind IN ('capture', 'refund', 'void', 'release')),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        reference    text NOT NULL,
        shipment_id  text,
        reason       text,
        request_key  text,
        requested_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payment_gateway_call_by_payment ON payment_gateway_call (payment_id, requested_at)`);
    // One capture of a shipment in flight at a time: a concurrent copy of the event finds it and joins it.
    await q.query(`CREATE UNIQUE INDEX payment_gateway_call_capture_once ON payment_gateway_call (payment_id, shipment_id) WHERE kind = 'capture'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payment_gateway_call');
  }
}
