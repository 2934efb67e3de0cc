import { statusEnteredAtMigration } from '@commerce/milestones';

/**
 * When the order entered its current status, for the time-in-state histogram (libs/milestones
 * says why). No default: an order's insert sets it (orders.service.ts).
 */
export const OrderStatusEnteredAt1767000000000 = statusEnteredAtMigration('OrderStatusEnteredAt1767000000000', 'customer_order', { defaultNow: false });
