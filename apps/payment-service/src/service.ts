import { SERVICES } from '@commerce/contracts';
import { KafkaEventTransport } from '@commerce/messaging';
import type { ServiceAppOptions } from '@commerce/platform';

/** What the payment service is: main.ts starts it with this, and so do the integration tests. */
export const paymentService: ServiceAppOptions = {
  service: SERVICES.payment,
  description: 'Payment: authorizes, captures, voids and refunds through a simulated gateway.',
  eventTransport: KafkaEventTransport,
  requireApiKey: true,
};
