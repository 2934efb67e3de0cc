/** The services that produce messages; the value is the envelope's `producer`. */
export const SERVICES = {
  order: 'order-service',
  inventory: 'inventory-service',
  payment: 'payment-service',
  shipment: 'shipment-service',
  notification: 'notification-service',
  reconciliation: 'reconciliation-service',
} as const;

export type ServiceName = (typeof SERVICES)[keyof typeof SERVICES];

export const ALL_SERVICES: readonly ServiceName[] = Object.freeze(Object.values(SERVICES));
