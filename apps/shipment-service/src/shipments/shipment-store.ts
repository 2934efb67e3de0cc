import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrderFacts } from './order-facts.entity';
import { Shipment } from './shipment.entity';

/** The database's clock for every timestamp, so /milestones?updatedSince has one clock to trust. */
export const NOW = () => 'now()';

/** Reads and locks shared by the event side and the warehouse side, always in the caller's transaction. */
@Injectable()
export class ShipmentStore {
  /** Locks the order's facts row, creating it if this is the first thing heard about the order. */
  async lockFacts(manager: EntityManager, orderId: string): Promise<OrderFacts> {
    await manager.query('INSERT INTO order_facts (order_id) VALUES ($1) ON CONFLICT (order_id) DO NOTHING', [orderId]);
    return manager.getRepository(OrderFacts).findOneOrFail({ where: { orderId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The order's shipments, oldest first; row-locked when `lock` (a cancellation moves them). */
  shipmentsOf(manager: EntityManager, orderId: string, lock: boolean): Promise<Shipment[]> {
    return manager.getRepository(Shipment).find({
      where: { orderId },
      order: { createdAt: 'ASC', node: 'ASC' },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }
}
