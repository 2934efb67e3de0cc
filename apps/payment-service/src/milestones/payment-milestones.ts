import type { Milestone, OrderMilestones } from '@commerce/contracts';
import type { PaymentStatus } from '../payments/payment-rules';

/** What /milestones needs of one payment, read in bulk. */
export interface PaymentRecord {
  paymentId: string;
  orderId: string;
  status: PaymentStatus;
  currency: string | null;
  authorizedMinor: number;
  capturedMinor: number;
  refundedMinor: number;
  voidedMinor: number;
  authorizedAt: Date | null;
  declinedAt: Date | null;
  declineReason: string | null;
  voidedAt: Date | null;
  /** Microsecond ISO text of updated_at: exact, so it can serve as a keyset cursor. */
  updatedAt: string;
  captures: Array<{ shipmentId: string; amountMinor: number; capturedAt: Date }>;
  refunds: Array<{ refundId: string; amountMinor: number; reason: string; refundedAt: Date }>;
}

/**
 * Payment's account of one order: status in its own words, what happened with amounts
 * (AUTHORIZED, DECLINED, CAPTURED per shipment, VOIDED, REFUNDED) and the money figures the
 * invariants check (captured - refunded against the dispatched value, nothing left charged
 * after a cancellation).
 */
export function toOrderMilestones(record: PaymentRecord): OrderMilestones {
  const currency = record.currency ?? undefined;
  const milestones: Milestone[] = [];
  if (record.authorizedAt) {
    milestones.push({ name: 'AUTHORIZED', at: record.authorizedAt.toISOString(), ref: record.paymentId, amountMinor: record.authorizedMinor, currency });
  }
  if (record.declinedAt) {
    milestones.push({ name: 'DECLINED', at: record.declinedAt.toISOString(), ref: record.paymentId, detail: { reason: record.declineReason } });
  }
  for (const capture of record.captures) {
    milestones.push({ name: 'CAPTURED', at: capture.capturedAt.toISOString(), ref: capture.shipmentId, amountMinor: capture.amountMinor, currency });
  }
  if (record.voidedAt && record.voidedMinor > 0) {
    milestones.push({ name: 'VOIDED', at: record.voidedAt.toISOString(), ref: record.paymentId, amountMinor: record.voidedMinor, currency });
  }
  for (const refund of record.refunds) {
    milestones.push({
      name: 'REFUNDED',
      at: refund.refundedAt.toISOString(),
      ref: refund.refundId,
      amountMinor: refund.amountMinor,
      currency,
      detail: { reason: refund.reason, paymentId: record.paymentId },
    });
  }
  milestones.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  return {
    orderId: record.orderId,
    status: record.status,
    updatedAt: record.updatedAt,
    milestones,
    facts: {
      paymentId: record.paymentId,
      authorizedMinor: record.authorizedMinor,
      capturedMinor: record.capturedMinor,
      refundedMinor: record.refundedMinor,
      voidedMinor: record.voidedMinor,
      currency: record.currency,
    },
  };
}
