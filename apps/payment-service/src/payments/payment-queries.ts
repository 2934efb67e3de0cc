import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, keysetPage, keysetTimestampSql, NotFoundError } from '@commerce/platform';
import type { PaymentPage, PaymentSummaryView, PaymentView } from './dto/payment.dto';
import { Payment } from './payment.entity';
import type { PaymentStatus } from './payment-rules';

/** The REST reads: never a lock, never a write. */
@Injectable()
export class PaymentQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** GET /payments/:orderId */
  async findByOrder(orderId: string): Promise<PaymentView> {
    const payment = await this.dataSource.getRepository(Payment).findOne({
      where: { orderId },
      relations: { captures: true, refunds: true },
      order: { captures: { capturedAt: 'ASC' }, refunds: { refundedAt: 'ASC' } },
    });
    if (!payment) throw new NotFoundError('Payment for order', orderId);
    return {
      ...summaryOf(payment),
      captures: (payment.captures ?? []).map((capture) => ({
        shipmentId: capture.shipmentId,
        amountMinor: capture.amountMinor,
        currency: capture.currency,
        capturedAt: capture.capturedAt.toISOString(),
      })),
      refunds: (payment.refunds ?? []).map((refund) => ({
        refundId: refund.refundId,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        reason: refund.reason,
        refundedAt: refund.refundedAt.toISOString(),
      })),
    };
  }

  /** GET /payments: newest first, keyset-paged by (createdAt, orderId). */
  async list(filter: { status?: PaymentStatus; limit?: number; cursor?: string }): Promise<PaymentPage> {
    const limit = filter.limit ?? 50;
    const after = filter.cursor === undefined ? null : decodeCursor(filter.cursor);
    const rows: Array<{ order_id: string; created_key: string }> = await this.dataSource.query(
      `SELECT order_id, ${keysetTimestampSql('created_at')} AS created_key
         FROM payment
        WHERE ($1::text IS NULL OR status = $1)
          AND ($2::timestamptz IS NULL OR (created_at, order_id) < ($2::timestamptz, $3::text))
        ORDER BY created_at DESC, order_id DESC LIMIT $4`,
      [filter.status ?? null, after?.at ?? null, after?.id ?? null, limit + 1],
    );
    const page = keysetPage(rows, limit, (last) => encodeCursor({ at: last.created_key, id: last.order_id }));
    const payments =
      page.rows.length === 0 ? [] : await this.dataSource.getRepository(Payment).find({ where: page.rows.map((row) => ({ orderId: row.order_id })) });
    const byOrder = new Map(payments.map((payment) => [payment.orderId, payment]));
    return {
      items: page.rows.flatMap((row) => {
        const payment = byOrder.get(row.order_id);
        return payment ? [summaryOf(payment)] : [];
      }),
      nextCursor: page.nextCursor,
    };
  }
}

function summaryOf(payment: Payment): PaymentSummaryView {
  return {
    paymentId: payment.paymentId,
    orderId: payment.orderId,
    status: payment.status,
    currency: payment.currency,
    amountToAuthorizeMinor: payment.amountToAuthorizeMinor,
    authorizedMinor: payment.authorizedMinor,
    capturedMinor: payment.capturedMinor,
    refundedMinor: payment.refundedMinor,
    voidedMinor: payment.voidedMinor,
    declineReason: payment.declineReason,
    waitingFor:
      payment.status === 'PENDING'
        ? [...(payment.orderPlacedAt === null ? ['OrderPlaced'] : []), ...(payment.reservationReceivedAt === null ? ['InventoryReserved'] : [])]
        : [],
    cancellationRequestedAt: payment.cancellationRequestedAt?.toISOString() ?? null,
    authorizedAt: payment.authorizedAt?.toISOString() ?? null,
    declinedAt: payment.declinedAt?.toISOString() ?? null,
    voidedAt: payment.voidedAt?.toISOString() ?? null,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}
