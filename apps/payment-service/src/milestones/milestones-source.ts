import { type OrderMilestones, SERVICES } from '@commerce/contracts';
import { groupBy, type MilestonesSource, type Queryable } from '@commerce/milestones';
import { keysetTimestampSql } from '@commerce/platform';
import { PAYMENT_STATUSES, type PaymentStatus } from '../payments/payment-rules';
import { type PaymentRecord, toOrderMilestones } from './payment-milestones';

interface PaymentRow {
  payment_id: string;
  order_id: string;
  status: PaymentStatus;
  currency: string | null;
  authorized_minor: string;
  captured_minor: string;
  refunded_minor: string;
  voided_minor: string;
  authorized_at: Date | null;
  declined_at: Date | null;
  decline_reason: string | null;
  voided_at: Date | null;
  updated_key: string;
}

/**
 * These orders' payments with their captures and refunds, one query after the other on the
 * connection given (the page's snapshot). updated_at is read as exact microsecond ISO text.
 */
async function paymentRecords(db: Queryable, orderIds: string[]): Promise<PaymentRecord[]> {
  const rows = (await db.query(
    `SELECT payment_id, order_id, status, currency, authorized_minor, captured_minor, refunded_minor, voided_minor,
            authorized_at, declined_at, decline_reason, voided_at, ${keysetTimestampSql('updated_at')} AS updated_key
       FROM payment WHERE order_id = ANY($1::text[])`,
    [orderIds],
  )) as PaymentRow[];
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.payment_id);
  const captures = (await db.query(
    `SELECT payment_id, shipment_id, amount_minor, captured_at FROM payment_capture
      WHERE payment_id = ANY($1::uuid[]) ORDER BY captured_at, shipment_id`,
    [ids],
  )) as Array<{ payment_id: string; shipment_id: string; amount_minor: string; captured_at: Date }>;
  const refunds = (await db.query(
    `SELECT payment_id, refund_id, amount_minor, reason, refunded_at FROM payment_refund
      WHERE payment_id = ANY($1::uuid[]) ORDER BY refunded_at, refund_id`,
    [ids],
  )) as Array<{ payment_id: string; refund_id: string; amount_minor: string; reason: string; refunded_at: Date }>;
  const capturesOf = groupBy(captures, (capture) => capture.payment_id);
  const refundsOf = groupBy(refunds, (refund) => refund.payment_id);
  return rows.map((row) => ({
    paymentId: row.payment_id,
    orderId: row.order_id,
    status: row.status,
    currency: row.currency,
    authorizedMinor: Number(row.authorized_minor),
    capturedMinor: Number(row.captured_minor),
    refundedMinor: Number(row.refunded_minor),
    voidedMinor: Number(row.voided_minor),
    authorizedAt: row.authorized_at,
    declinedAt: row.declined_at,
    declineReason: row.decline_reason,
    voidedAt: row.voided_at,
    updatedAt: row.updated_key,
    captures: (capturesOf.get(row.payment_id) ?? []).map((capture) => ({
      shipmentId: capture.shipment_id,
      amountMinor: Number(capture.amount_minor),
      capturedAt: capture.captured_at,
    })),
    refunds: (refundsOf.get(row.payment_id) ?? []).map((refund) => ({
      refundId: refund.refund_id,
      amountMinor: Number(refund.amount_minor),
      reason: refund.reason,
      refundedAt: refund.refunded_at,
    })),
  }));
}

/** Payment's GET /milestones (libs/milestones): one payment per order, found by order_id (index payment_by_order_id). */
export const milestonesSource: MilestonesSource = {
  service: SERVICES.payment,
  table: 'payment',
  orderIdColumn: 'order_id',
  derive: async (db, orderIds): Promise<OrderMilestones[]> => (await paymentRecords(db, orderIds)).map(toOrderMilestones),
  openApi: {
    summary: "Payment's facts per order",
    statuses: PAYMENT_STATUSES,
    facts: 'paymentId, authorizedMinor, capturedMinor, refundedMinor, voidedMinor, currency',
  },
};
