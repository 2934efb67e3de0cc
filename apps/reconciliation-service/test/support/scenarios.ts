import { randomUUID } from 'node:crypto';
import { type OrderView, orderView } from '../../src/rules/order-view';
import {
  at,
  cancelledOrder,
  date,
  declinedOrder,
  deliveredOrder,
  inventoryRecord,
  notificationRecord,
  orderRecord,
  paymentRecord,
  rejectedOrder,
  shipmentRecord,
  withAnswers,
} from './milestones';

/** Consistent orders of every kind: no rule may open a case for them. */
export function consistentOrders(count: number): OrderView[] {
  const kinds = [deliveredOrder, rejectedOrder, declinedOrder, cancelledOrder];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length](randomUUID()));
}

/**
 * One order per rule that breaks that rule and no other (the fixture times are long past, so
 * every grace has passed).
 */
export function oneDivergencePerRule(): Record<string, OrderView> {
  const id = () => randomUUID();
  const observed = date(24 * 60);
  const view = (orderId: string, answers: Parameters<typeof orderView>[1]) => orderView(orderId, answers, observed);
  const o = {
    stuckAtInventory: id(),
    stuckAtPayment: id(),
    stuckAtShipment: id(),
    dispatchedNotCaptured: id(),
    declinedStillReserved: id(),
    cancelledStillReserved: id(),
    cancelledStillCharged: id(),
    cancelledButDispatched: id(),
    amountMismatch: id(),
    statusContradiction: id(),
    missingNotification: id(),
    orphanRecord: id(),
  };
  return {
    'stuck-at-inventory': view(o.stuckAtInventory, { order: orderRecord(o.stuckAtInventory) }),
    'stuck-at-payment': view(o.stuckAtPayment, {
      order: orderRecord(o.stuckAtPayment),
      inventory: inventoryRecord(o.stuckAtPayment, { reservedAt: at(1) }),
    }),
    'stuck-at-shipment': view(o.stuckAtShipment, {
      order: orderRecord(o.stuckAtShipment, { confirmedAt: at(2) }),
      inventory: inventoryRecord(o.stuckAtShipment, { reservedAt: at(1) }),
      payment: paymentRecord(o.stuckAtShipment, { authorizedAt: at(2) }),
      notification: notificationRecord(o.stuckAtShipment, { confirmed: at(2) }),
    }),
    'dispatched-not-captured': withAnswers(deliveredOrder(o.dispatchedNotCaptured), {
      payment: paymentRecord(o.dispatchedNotCaptured, { authorizedAt: at(2) }),
    }),
    'declined-still-reserved': withAnswers(declinedOrder(o.declinedStillReserved), {
      inventory: inventoryRecord(o.declinedStillReserved, { reservedAt: at(1) }),
    }),
    'cancelled-still-reserved': view(o.cancelledStillReserved, {
      order: orderRecord(o.cancelledStillReserved, { confirmedAt: at(2), cancellationRequestedAt: at(5) }),
      inventory: inventoryRecord(o.cancelledStillReserved, { reservedAt: at(1) }),
      payment: paymentRecord(o.cancelledStillReserved, { authorizedAt: at(2), voidedAt: at(6) }),
      shipment: shipmentRecord(o.cancelledStillReserved, [{ createdAt: at(3), cancelledAt: at(6) }]),
      notification: notificationRecord(o.cancelledStillReserved, { confirmed: at(2) }),
    }),
    'cancelled-still-charged': view(o.cancelledStillCharged, {
      order: orderRecord(o.cancelledStillCharged, { confirmedAt: at(2), cancellationRequestedAt: at(5) }),
      inventory: inventoryRecord(o.cancelledStillCharged, { reservedAt: at(1), releasedAt: at(6) }),
      payment: paymentRecord(o.cancelledStillCharged, { authorizedAt: at(2) }),
      shipment: shipmentRecord(o.cancelledStillCharged, [{ createdAt: at(3), cancelledAt: at(6) }]),
      notification: notificationRecord(o.cancelledStillCharged, { confirmed: at(2) }),
    }),
    'cancelled-but-dispatched': view(o.cancelledButDispatched, {
      order: orderRecord(o.cancelledButDispatched, { confirmedAt: at(2), shippedAt: at(10), cancellationRequestedAt: at(12) }),
      inventory: inventoryRecord(o.cancelledButDispatched, { reservedAt: at(1), commits: [{ shipmentId: 'shp-1', at: at(10) }] }),
      payment: paymentRecord(o.cancelledButDispatched, {
        authorizedAt: at(2),
        captures: [{ shipmentId: 'shp-1', at: at(11), amountMinor: 5000 }],
        refunds: [{ at: at(13), amountMinor: 5000 }],
      }),
      shipment: shipmentRecord(o.cancelledButDispatched, [{ createdAt: at(3), dispatchedAt: at(10) }]),
      notification: notificationRecord(o.cancelledButDispatched, { confirmed: at(2), dispatched: at(10) }),
    }),
    'amount-mismatch': withAnswers(deliveredOrder(o.amountMismatch), {
      payment: paymentRecord(o.amountMismatch, { authorizedAt: at(2), captures: [{ shipmentId: 'shp-1', at: at(11), amountMinor: 4000 }] }),
    }),
    'status-contradiction': view(o.statusContradiction, {
      order: orderRecord(o.statusContradiction, { confirmedAt: at(2) }),
      inventory: inventoryRecord(o.statusContradiction, { reservedAt: at(1), releasedAt: at(3) }),
      payment: paymentRecord(o.statusContradiction, { declinedAt: at(2) }),
      notification: notificationRecord(o.statusContradiction, { confirmed: at(2) }),
    }),
    'missing-notification': withAnswers(deliveredOrder(o.missingNotification), {
      notification: notificationRecord(o.missingNotification, { confirmed: at(2), dispatched: at(10) }),
    }),
    'orphan-record': view(o.orphanRecord, { inventory: inventoryRecord(o.orphanRecord, { rejectedAt: at(1) }) }),
  };
}
