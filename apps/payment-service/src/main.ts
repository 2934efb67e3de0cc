import 'reflect-metadata';
import { KafkaEventTransport } from '@commerce/messaging';
import { bootstrapService, loadConfig } from '@commerce/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

const config = loadConfig(configSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'payment-service',
  port: config.PORT,
  description: "Payment: authorizes, captures, voids and refunds through a simulated gateway.",
  eventTransport: KafkaEventTransport,
});
