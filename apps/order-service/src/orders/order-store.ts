import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { createLogger, isUuid, observeStateTransition } from '@commerce/platform';
import { OrderFactEntity } from './order-fact.entity';
import { OrderEntity } from './order.entity';
import type { OrderStatus } from './order-status';
import { currentStatus } from './order-view';
import { FACT_COLUMNS, factOf, type FactRow, ORDER_COLUMNS, orderOf, type OrderRow } from './order-rows';

/** Reads and writes of orders shared by the REST side and the event side, always in the caller's transaction. */
@Injectable()
export class OrderStore {
  private readonly log = createLogger('order-service');

  /** The order, row-locked until the transaction ends (facts from several topics may race). */
  lock(manager: EntityManager, orderId: string): Promise<OrderEntity | null> {
    if (!isUuid(orderId)) return Promise.resolve(null);
    return manager.getRepository(OrderEntity).findOne({ where: { id: orderId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * The order, row-locked, with its facts in the order `facts()` reads them (what every fact heard
   * from another service needs first). Two statements, not one: facts joined into the locking SELECT
   * come from the snapshot taken before it waited, so a transaction that waited on a racing fact
   * (another topic, another replica) would miss that fact and store a status derived without it.
   */
  async lockWithFacts(manager: EntityManager, orderId: string): Promise<{ order: OrderEntity; facts: OrderFactEntity[] } | null> {
    if (!isUuid(orderId)) return null;
    const [row]: OrderRow[] = await manager.query(`SELECT ${ORDER_COLUMNS} FROM customer_order o WHERE o.id = $1 FOR UPDATE`, [orderId]);
    if (!row) return null;
    const rows: FactRow[] = await manager.query(
      `SELECT f.order_id AS id, ${FACT_COLUMNS} FROM order_fact f WHERE f.order_id = $1 ORDER BY f.occurred_at, f.id`,
      [orderId],
    );
    return { order: orderOf(row), facts: rows.map(factOf).filter((fact): fact is OrderFactEntity => fact !== null) };
  }

  facts(manager: EntityManager, orderId: string): Promise<OrderFactEntity[]> {
    return manager.getRepository(OrderFactEntity).find({ where: { orderId }, order: { occurredAt: 'ASC', id: 'ASC' } });
  }

  /** Orders with their facts, in the order of `orderIds`; unknown ids are left out. */
  async withFacts(manager: EntityManager, orderIds: readonly string[]): Promise<Array<{ order: OrderEntity; facts: OrderFactEntity[] }>> {
    const ids = orderIds.filter(isUuid);
    if (ids.length === 0) return [];
    const [orders, facts] = await Promise.all([
      manager.getRepository(OrderEntity).findBy({ id: In(ids) }),
      manager.getRepository(OrderFactEntity).find({ where: { orderId: In(ids) }, order: { occurredAt: 'ASC', id: 'ASC' } }),
    ]);
    const byId = new Map(orders.map((order) => [order.id, { order, facts: [] as OrderFactEntity[] }]));
    for (const fact of facts) byId.get(fact.orderId)?.facts.push(fact);
    return ids.flatMap((id) => {
      const found = byId.get(id);
      return found ? [found] : [];
    });
  }

  /**
   * Stores the status the facts give now, when it changed (the change that called it marks the
   * order changed anyway: the order-row triggers). The first time the order is found CANCELLED,
   * that moment is kept: CANCELLED is final.
   */
  async saveDerivedStatus(manager: EntityManager, order: OrderEntity, facts: readonly OrderFactEntity[]): Promise<OrderStatus> {
    const previous = order.status;
    const status = currentStatus(order, facts);
    if (status === previous) return status;
    const [row] = await manager.query(
      `UPDATE customer_order
          SET status = $2,
              cancelled_at = CASE WHEN $2 = 'CANCELLED' THEN coalesce(cancelled_at, clock_timestamp()) ELSE cancelled_at END,
              status_entered_at = clock_timestamp(),
              updated_at = clock_timestamp()
        WHERE id = $1
        RETURNING cancelled_at, status_entered_at, updated_at`,
      [order.id, status],
    );
    const [updated] = row as Array<{ cancelled_at: Date | null; status_entered_at: Date; updated_at: Date }>;
    observeStateTransition({ machine: 'order', from: previous, to: status, enteredAt: order.statusEnteredAt, leftAt: updated.status_entered_at });
    order.status = status;
    order.cancelledAt = updated.cancelled_at;
    order.statusEnteredAt = updated.status_entered_at;
    order.updatedAt = updated.updated_at;
    this.log.info({ orderId: order.id, from: previous, to: status }, 'order status changed');
    return status;
  }
}
