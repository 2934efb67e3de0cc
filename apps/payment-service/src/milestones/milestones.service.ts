import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type MilestonesPage, SERVICES } from '@commerce/contracts';
import { encodeCursor } from '@commerce/platform';
import type { PaymentStatus } from '../payments/payment-rules';
import type { MilestonesSelection } from './milestones-query';
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

/** updated_at as exact microsecond ISO text (a JS Date would drop the microseconds). */
const UPDATED_KEY = `to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_key`;
const COLUMNS = `payment_id, order_id, status, currency, authorized_minor, captured_minor, refunded_minor, voided_minor,
  authorized_at, declined_at, decline_reason, voided_at, ${UPDATED_KEY}`;

@Injectable()
export class MilestonesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(selection: MilestonesSelection): Promise<MilestonesPage> {
    let rows: PaymentRow[];
    let nextCursor: string | null = null;
    if (selection.kind === 'orders') {
      rows = await this.dataSource.query(
        `SELECT ${COLUMNS} FROM payment
          WHERE order_id = ANY($1::text[]) AND ($2::timestamptz IS NULL OR updated_at >= $2::timestamptz)
          ORDER BY updated_at, order_id`,
        [selection.orderIds, selection.updatedSince],
      );
    } else {
      const after = selection.after;
      rows = await this.dataSource.query(
        `SELECT ${COLUMNS} FROM payment
          WHERE updated_at >= $1::timestamptz
            AND ($2::timestamptz IS NULL OR (updated_at, order_id) > ($2::timestamptz, $3::text))
          ORDER BY updated_at, order_id LIMIT $4`,
        [selection.updatedSince, after?.at ?? null, after?.id ?? null, selection.limit + 1],
      );
      if (rows.length > selection.limit) {
        rows = rows.slice(0, selection.limit);
        const last = rows[rows.length - 1];
        nextCursor = encodeCursor({ at: last.updated_key, id: last.order_id });
      }
    }
    return { service: SERVICES.payment, items: (await this.records(rows)).map(toOrderMilestones), nextCursor };
  }

  private async records(rows: PaymentRow[]): Promise<PaymentRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.payment_id);
    const captures: Array<{ payment_id: string; shipment_id: string; amount_minor: string; captured_at: Date }> = await this.dataSource.query(
      `SELECT payment_id, shipment_id, amount_minor, captured_at FROM payment_capture
        WHERE payment_id = ANY($1::uuid[]) ORDER BY captured_at, shipment_id`,
      [ids],
    );
    const refunds: Array<{ payment_id: string; refund_id: string; amount_minor: string; reason: string; refunded_at: Date }> =
      await this.dataSource.query(
        `SELECT payment_id, refund_id, amount_minor, reason, refunded_at FROM payment_refund
          WHERE payment_id = ANY($1::uuid[]) ORDER BY refunded_at, refund_id`,
        [ids],
      );
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
      captures: captures
        .filter((capture) => capture.payment_id === row.payment_id)
        .map((capture) => ({ shipmentId: capture.shipment_id, amountMinor: Number(capture.amount_minor), capturedAt: capture.captured_at })),
      refunds: refunds
        .filter((refund) => refund.payment_id === row.payment_id)
        .map((refund) => ({
          refundId: refund.refund_id,
          amountMinor: Number(refund.amount_minor),
          reason: refund.reason,
          refundedAt: refund.refunded_at,
        })),
    }));
  }
}
