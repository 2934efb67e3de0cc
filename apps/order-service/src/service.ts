import { SERVICES } from '@commerce/contracts';
import { KafkaEventTransport } from '@commerce/messaging';
import type { ServiceAppOptions } from '@commerce/platform';

/** What the order service is: main.ts starts it with this, and so do the integration tests. */
export const orderService: ServiceAppOptions = {
  service: SERVICES.order,
  description: "Order capture: takes orders over REST and follows their status from the other services' events.",
  eventTransport: KafkaEventTransport,
  requireApiKey: true,
};
