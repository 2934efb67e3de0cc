import 'reflect-metadata';
import { KafkaEventTransport } from '@commerce/messaging';
import { bootstrapService, loadConfig } from '@commerce/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

const config = loadConfig(configSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'notification-service',
  port: config.PORT,
  description: "Notification: one customer notification per order milestone, whatever the redeliveries.",
  eventTransport: KafkaEventTransport,
});
