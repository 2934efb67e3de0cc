import { SERVICES } from '@commerce/contracts';
import { KafkaEventTransport } from '@commerce/messaging';
import type { ServiceAppOptions } from '@commerce/platform';

/** What the shipment service is: main.ts starts it with this, and so do the integration tests. */
export const shipmentService: ServiceAppOptions = {
  service: SERVICES.shipment,
  description: 'Shipment: creates shipments per warehouse node, dispatches and delivers them.',
  eventTransport: KafkaEventTransport,
  requireApiKey: true,
};
