import 'reflect-metadata';
import { KafkaEventTransport } from '@commerce/messaging';
import { bootstrapService, loadConfig } from '@commerce/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

const config = loadConfig(configSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'order-service',
  port: config.PORT,
  description: "Order capture: takes orders over REST and follows their status from the other services' events.",
  eventTransport: KafkaEventTransport,
});
