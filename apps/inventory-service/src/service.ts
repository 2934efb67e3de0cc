import { SERVICES } from '@commerce/contracts';
import { KafkaEventTransport } from '@commerce/messaging';
import type { ServiceAppOptions } from '@commerce/platform';

/** What the inventory service is: main.ts starts it with this, and so do the integration tests. */
export const inventoryService: ServiceAppOptions = {
  service: SERVICES.inventory,
  description: 'Inventory: stock per SKU per warehouse node; reserves, releases and commits stock for orders.',
  eventTransport: KafkaEventTransport,
  requireApiKey: true,
};
