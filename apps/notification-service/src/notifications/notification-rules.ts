/**
 * When the customer is told what, as plain functions over plain data (no Nest, no database).
 * One notification per (orderId, kind), whatever the redeliveries.
 */
import type { NotificationKind } from '@commerce/contracts';

export const NOTIFICATION_STATUSES = ['SENT', 'FAILED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** The one (simulated) channel customers are notified through. */
export const NOTIFICATION_CHANNEL = 'email';

/** The upstream events that map straight to one kind of notification. */
export const KIND_OF_EVENT = {
  PaymentAuthorized: 'confirmed',
  InventoryRejected: 'rejected',
  PaymentDeclined: 'rejected',
} as const satisfies Record<string, NotificationKind>;

/**
 * A cancellation is announced unless the customer was already told the order is on its way:
 * then the shipment refuses the cancellation, and people handle it.
 */
export function shouldAnnounceCancellation(kindsAlready: readonly NotificationKind[]): boolean {
  return !kindsAlready.includes('dispatched');
}

/** What the service keeps of each shipment of an order (from ShipmentCreated, Delivered, Cancelled). */
export interface TrackedShipment {
  shipmentId: string;
  delivered: boolean;
  cancelled: boolean;
}

/** Every shipment still meant to reach the customer is delivered (cancelled ones never will be). */
export function everyShipmentDelivered(shipments: readonly TrackedShipment[]): boolean {
  const active = shipments.filter((shipment) => !shipment.cancelled);
  return active.length > 0 && active.every((shipment) => shipment.delivered);
}

export interface NotificationRecord {
  notificationId: string;
  kind: NotificationKind;
  status: NotificationStatus;
  channel: string;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  updatedAt: string;
}

/** The order's notification status: the kind sent last, upper-case, or NONE. */
export function notificationStatus(notifications: readonly NotificationRecord[]): string {
  const sent = notifications.filter((n): n is NotificationRecord & { sentAt: string } => n.status === 'SENT' && n.sentAt !== null);
  if (sent.length === 0) return 'NONE';
  const last = sent.reduce((a, b) => (Date.parse(b.sentAt) >= Date.parse(a.sentAt) ? b : a));
  return last.kind.toUpperCase();
}

export interface NotificationMilestone {
  name: string;
  at: string;
  ref: string;
  detail: Record<string, unknown>;
}

/** One milestone per notification: CONFIRMED_SENT at its sending, or CONFIRMED_FAILED at its last attempt. */
export function notificationMilestones(notifications: readonly NotificationRecord[]): NotificationMilestone[] {
  return notifications
    .map((n) => ({
      name: `${n.kind.toUpperCase()}_${n.status}`,
      at: n.status === 'SENT' && n.sentAt !== null ? n.sentAt : n.updatedAt,
      ref: n.notificationId,
      detail: { channel: n.channel, attempts: n.attempts },
    }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Which kinds the customer has been told (true only once SENT). */
export function notificationFacts(notifications: readonly NotificationRecord[]): Record<NotificationKind, boolean> {
  const sent = (kind: NotificationKind) => notifications.some((n) => n.kind === kind && n.status === 'SENT');
  return { confirmed: sent('confirmed'), rejected: sent('rejected'), dispatched: sent('dispatched'), delivered: sent('delivered'), cancelled: sent('cancelled') };
}
