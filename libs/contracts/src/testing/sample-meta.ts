/** The fixed ids, event ids and timestamps every sample message shares (sample-events.ts). */
export const SAMPLE_IDS = {
  orderId: '6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f601',
  correlationId: '6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f602',
  customerId: 'cus_1001',
  reservationId: 'res_2001',
  paymentId: 'pay_3001',
  shipmentId: 'shp_4001',
  notificationId: 'ntf_5001',
  caseId: 'case_6001',
} as const;

const ids = SAMPLE_IDS;

/** Deterministic event ids: `00000000-0000-4000-8000-0000000000NN`. */
export const eventId = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** Deterministic timestamps, one minute apart from 2025-01-15T10:00:00Z. */
const at = (minute: number): string => new Date(Date.UTC(2025, 0, 15, 10, minute)).toISOString();

export function meta(n: number, producer: string, causationId: string | null) {
  return {
    eventId: eventId(n),
    occurredAt: at(n),
    orderId: ids.orderId,
    correlationId: ids.correlationId,
    causationId,
    producer,
  };
}
