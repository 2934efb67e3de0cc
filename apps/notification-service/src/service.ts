import { SERVICES } from '@commerce/contracts';
import { KafkaEventTransport } from '@commerce/messaging';
import type { ServiceAppOptions } from '@commerce/platform';

/** What the notification service is: main.ts starts it with this, and so do the integration tests. */
export const notificationService: ServiceAppOptions = {
  service: SERVICES.notification,
  description: 'Notification: one customer notification per order milestone, whatever the redeliveries.',
  eventTransport: KafkaEventTransport,
  requireApiKey: true,
};
