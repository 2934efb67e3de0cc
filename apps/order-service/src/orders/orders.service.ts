import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Outbox } from '@commerce/messaging';
import {
  createLogger,
  decodeCursor,
  encodeCursor,
  InvalidInputError,
  isUuid,
  keysetPage,
  keysetTimestampSql,
  NotFoundError,
  workContext,
} from '@commerce/platform';
import type { CancelOrderDto } from './dto/cancel-order.dto';
import type { ListOrdersQuery } from './dto/list-orders.query';
import type { PlaceOrderDto } from './dto/place-order.dto';
import { IdempotencyKeyReusedError, OrderNotCancellableError } from './order-errors';
import { cancellationRequestedEvent, DEFAULT_CANCELLATION_REASON, orderPlacedEvent } from './order-events';
import { OrderStore } from './order-store';
import { ORDER_COLUMNS, orderOf, type OrderRow } from './order-rows';
import { NON_CANCELLABLE_STATUSES } from './order-status';
import { OrderEntity, type OrderLine, type ShippingAddress } from './order.entity';
import { orderView, type OrderView } from './order-view';
import { requestFingerprint } from './request-fingerprint';

export interface PlacedOrder {
  order: OrderView;
  /** false when the idempotency key had already placed this order. */
  created: boolean;
}

export interface OrdersPage {
  items: OrderView[];
  nextCursor: string | null;
}

/** The request as the order keeps it: only the fields of the contract, nothing else the DTO may carry. */
function normalizedRequest(request: PlaceOrderDto) {
  const address = request.shippingAddress;
  const shippingAddress: ShippingAddress = {
    name: address.name,
    line1: address.line1,
    ...(address.line2 !== undefined ? { line2: address.line2 } : {}),
    city: address.city,
    postalCode: address.postalCode,
    country: address.country,
  };
  const lines: OrderLine[] = request.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor }));
  return { customerId: request.customerId, currency: request.currency, lines, paymentToken: request.paymentToken, shippingAddress };
}

@Injectable()
export class OrdersService {
  private readonly log = createLogger('order-service');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly store: OrderStore,
  ) {}

  /**
   * Places the order once per idempotency key: the key is unique in the database, so of two
   * concurrent requests with the same key one inserts and the other finds its order. The order
   * and its OrderPlaced event commit together.
   */
  async placeOrder(idempotencyKey: string, request: PlaceOrderDto): Promise<PlacedOrder> {
    const body = normalizedRequest(request);
    const fingerprint = requestFingerprint(body);
    const totalMinor = body.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
    const units = body.lines.reduce((sum, line) => sum + line.quantity, 0);

    return this.dataSource.transaction(async (manager) => {
      const orderId = randomUUID();
      const placedAt = new Date();
      const correlationId = workContext.current()?.correlationId ?? randomUUID();
      // ON CONFLICT waits for a concurrent insert of the same key to commit, then does nothing.
      const inserted: OrderRow[] = await manager.query(
        `INSERT INTO customer_order AS o
           (id, customer_id, currency, lines, total_minor, units, payment_token, shipping_address, status,
            correlation_id, idempotency_key, request_fingerprint, placed_at, status_entered_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8::jsonb, 'PLACED', $9, $10, $11, $12, $12, $12)
         ON CONFLICT ON CONSTRAINT customer_order_idempotency_key_unique DO NOTHING
         RETURNING ${ORDER_COLUMNS}`,
        [
          orderId,
          body.customerId,
          body.currency,
          JSON.stringify(body.lines),
          totalMinor,
          units,
          body.paymentToken,
          JSON.stringify(body.shippingAddress),
          correlationId,
          idempotencyKey,
          fingerprint,
          placedAt,
        ],
      );

      if (inserted.length === 0) {
        const existing = await manager.getRepository(OrderEntity).findOneByOrFail({ idempotencyKey });
        if (existing.requestFingerprint !== fingerprint) throw new IdempotencyKeyReusedError(idempotencyKey, existing.id);
        this.log.info({ orderId: existing.id, idempotencyKey }, 'order request replayed; returning the order it placed');
        return { created: false, order: orderView(existing, await this.store.facts(manager, existing.id)) };
      }

      const order = orderOf(inserted[0]); // as stored: no read back
      await this.outbox.store(manager, [orderPlacedEvent(order, null)]);
      this.log.info({ orderId, totalMinor, currency: body.currency, lines: body.lines.length }, 'order placed');
      return { created: true, order: orderView(order, []) };
    });
  }

  async getOrder(orderId: string): Promise<OrderView> {
    assertOrderId(orderId);
    const manager = this.dataSource.manager;
    const order = await manager.getRepository(OrderEntity).findOneBy({ id: orderId });
    if (!order) throw new NotFoundError('Order', orderId);
    return orderView(order, await this.store.facts(manager, orderId));
  }

  /** Newest first, keyset-paged on (placedAt, id). */
  async listOrders(query: ListOrdersQuery): Promise<OrdersPage> {
    const limit = query.limit ?? 20;
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.status) where.push(`status = ${param(query.status)}`);
    if (query.customerId) where.push(`customer_id = ${param(query.customerId)}`);
    if (query.placedAfter) where.push(`placed_at > ${param(query.placedAfter)}::timestamptz`);
    if (query.placedBefore) where.push(`placed_at < ${param(query.placedBefore)}::timestamptz`);
    if (query.cursor) {
      const position = decodeCursor(query.cursor);
      if (!isUuid(position.id)) throw new InvalidInputError([{ field: 'cursor', message: 'is not a cursor this service issued' }]);
      where.push(`(placed_at, id) < (${param(position.at)}::timestamptz, ${param(position.id)}::uuid)`);
    }
    const rows: Array<{ id: string; position: string }> = await this.dataSource.query(
      `SELECT id, ${keysetTimestampSql('placed_at')} AS position
         FROM customer_order
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY placed_at DESC, id DESC
        LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = keysetPage(rows, limit, (last) => encodeCursor({ at: last.position, id: last.id }));
    return { items: await this.views(page.rows.map((row) => row.id)), nextCursor: page.nextCursor };
  }

  /**
   * Records the customer's wish to cancel and tells the other services. Asking again while the
   * cancellation is under way changes nothing; once the order is REJECTED, CANCELLED or DELIVERED
   * there is nothing left to cancel.
   */
  async requestCancellation(orderId: string, request: CancelOrderDto): Promise<OrderView> {
    assertOrderId(orderId);
    return this.dataSource.transaction(async (manager) => {
      const order = await this.store.lock(manager, orderId);
      if (!order) throw new NotFoundError('Order', orderId);
      if (NON_CANCELLABLE_STATUSES.includes(order.status)) throw new OrderNotCancellableError(orderId, order.status);
      const facts = await this.store.facts(manager, orderId);
      if (order.cancellationRequestedAt !== null) {
        this.log.info({ orderId }, 'cancellation already requested; nothing more to do');
        return orderView(order, facts);
      }
      order.cancellationRequestedAt = new Date();
      order.cancellationReason = request.reason ?? DEFAULT_CANCELLATION_REASON;
      const [rows] = await manager.query(
        `UPDATE customer_order SET cancellation_requested_at = $2, cancellation_reason = $3 WHERE id = $1 RETURNING updated_at`,
        [orderId, order.cancellationRequestedAt, order.cancellationReason],
      );
      order.updatedAt = (rows as Array<{ updated_at: Date }>)[0].updated_at;
      await this.store.saveDerivedStatus(manager, order, facts);
      await this.outbox.store(manager, [cancellationRequestedEvent(order, null)]);
      this.log.info({ orderId, reason: order.cancellationReason, status: order.status }, 'order cancellation requested');
      return orderView(order, facts);
    });
  }

  /** One snapshot for the whole page, so an order and its facts agree. */
  private views(orderIds: string[]): Promise<OrderView[]> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager: EntityManager) =>
      (await this.store.withFacts(manager, orderIds)).map(({ order, facts }) => orderView(order, facts)),
    );
  }
}

function assertOrderId(orderId: string): void {
  if (!isUuid(orderId)) throw new InvalidInputError([{ field: 'id', message: 'must be a UUID' }]);
}
