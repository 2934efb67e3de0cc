import type { EventEnvelope } from '../envelope';
import { eventId, meta, SAMPLE_IDS } from './sample-meta';

const ids = SAMPLE_IDS;

type RepairSampleType =
  | 'ReleaseReservationRequested'
  | 'VoidPaymentRequested'
  | 'RefundPaymentRequested'
  | 'CapturePaymentRequested'
  | 'ResendNotificationRequested'
  | 'RepublishEventsRequested'
  | 'PaymentRepairRefused'
  | 'InventoryRepairRefused'
  | 'NotificationRepairRefused';

/** The reconciliation service's repair commands, and each service's refusal of one (part of sampleEvents). */
export const repairSamples: { [T in RepairSampleType]: EventEnvelope<T> } = {
  ReleaseReservationRequested: {
    ...meta(20, 'reconciliation-service', null),
    type: 'ReleaseReservationRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'declined-still-reserved', reservationId: ids.reservationId },
  },
  VoidPaymentRequested: {
    ...meta(21, 'reconciliation-service', null),
    type: 'VoidPaymentRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'cancelled-still-charged', paymentId: ids.paymentId },
  },
  RefundPaymentRequested: {
    ...meta(22, 'reconciliation-service', null),
    type: 'RefundPaymentRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'cancelled-still-charged', paymentId: ids.paymentId, amountMinor: 2500 },
  },
  CapturePaymentRequested: {
    ...meta(23, 'reconciliation-service', null),
    type: 'CapturePaymentRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'dispatched-not-captured', shipmentId: ids.shipmentId },
  },
  ResendNotificationRequested: {
    ...meta(24, 'reconciliation-service', null),
    type: 'ResendNotificationRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'missing-notification', kind: 'confirmed' },
  },
  RepublishEventsRequested: {
    ...meta(25, 'reconciliation-service', null),
    type: 'RepublishEventsRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'stuck-at-inventory', eventTypes: ['OrderPlaced'], targetService: 'inventory-service' },
  },
  PaymentRepairRefused: {
    ...meta(26, 'payment-service', eventId(23)),
    type: 'PaymentRepairRefused',
    version: 1,
    payload: {
      caseId: ids.caseId,
      rule: 'dispatched-not-captured',
      commandEventId: eventId(23),
      commandType: 'CapturePaymentRequested',
      reason: 'nothing left to capture (payment is CAPTURED)',
    },
  },
  InventoryRepairRefused: {
    ...meta(27, 'inventory-service', eventId(20)),
    type: 'InventoryRepairRefused',
    version: 1,
    payload: {
      caseId: ids.caseId,
      rule: 'declined-still-reserved',
      commandEventId: eventId(20),
      commandType: 'ReleaseReservationRequested',
      reason: 'nothing to release (reservation res_2001 is RELEASED)',
    },
  },
  NotificationRepairRefused: {
    ...meta(28, 'notification-service', eventId(24)),
    type: 'NotificationRepairRefused',
    version: 1,
    payload: {
      caseId: ids.caseId,
      rule: 'missing-notification',
      commandEventId: eventId(24),
      commandType: 'ResendNotificationRequested',
      reason: 'the confirmed notification was already sent',
    },
  },
};
