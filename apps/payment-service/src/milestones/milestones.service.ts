import { Injectable, type StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type MilestonesPage, type OrderMilestones, SERVICES } from '@commerce/contracts';
import {
  groupBy,
  type KeysetPage,
  keysetTimestampSql,
  type LiveMilestonesSelection,
  MilestoneDocuments,
  type MilestonesSelection,
  type Queryable,
  selectOrderRows,
} from '@commerce/platform';
import type { PaymentStatus } from '../payments/payment-rules';
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
const UPDATED_KEY = `${keysetTimestampSql('updated_at')} AS updated_key`;
const COLUMNS = `payment_id, order_id, status, currency, authorized_minor, captured_minor, refunded_minor, voided_minor,
  authorized_at, declined_at, decline_reason, voided_at, ${UPDATED_KEY}`;
const SELECTABLE = { from: 'payment', columns: COLUMNS };

@Injectable()
export class MilestonesService {
  /** The full scan's range mode reads these (index payment_by_order_id: order_id in byte order). */
  readonly documents = new MilestoneDocuments<OrderMilestones>({
    table: 'payment',
    orderIdColumn: 'order_id',
    derive: async (db, orderIds) => this.items(db, (await selectOrderRows<PaymentRow>(db, SELECTABLE, { kind: 'orders', orderIds })).rows),
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** GET /milestones as JSON text: the range and orderIds modes from the documents, updatedSince derived live. */
  pageJson(selection: MilestonesSelection): Promise<StreamableFile> {
    return this.documents.answer(this.dataSource, SERVICES.payment, selection, (live) => this.page(live));
  }

  async page(selection: LiveMilestonesSelection): Promise<MilestonesPage> {
    const { rows, nextCursor }: KeysetPage<PaymentRow> = await selectOrderRows<PaymentRow>(this.dataSource, SELECTABLE, selection);
    return { service: SERVICES.payment, items: await this.items(this.dataSource, rows), nextCursor };
  }

  private async items(db: Queryable, rows: PaymentRow[]): Promise<OrderMilestones[]> {
    return (await this.records(db, rows)).map(toOrderMilestones);
  }

  private async records(db: Queryable, rows: PaymentRow[]): Promise<PaymentRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.payment_id);
    const [captures, refunds] = (await Promise.all([
      db.query(
        `SELECT payment_id, shipment_id, amount_minor, captured_at FROM payment_capture
          WHERE payment_id = ANY($1::uuid[]) ORDER BY captured_at, shipment_id`,
        [ids],
      ),
      db.query(
        `SELECT payment_id, refund_id, amount_minor, reason, refunded_at FROM payment_refund
          WHERE payment_id = ANY($1::uuid[]) ORDER BY refunded_at, refund_id`,
        [ids],
      ),
    ])) as [
      Array<{ payment_id: string; shipment_id: string; amount_minor: string; captured_at: Date }>,
      Array<{ payment_id: string; refund_id: string; amount_minor: string; reason: string; refunded_at: Date }>,
    ];
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
}
