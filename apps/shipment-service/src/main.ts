import 'reflect-metadata';
import { KafkaEventTransport } from '@commerce/messaging';
import { bootstrapService, loadConfig } from '@commerce/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

const config = loadConfig(configSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'shipment-service',
  port: config.PORT,
  description: "Shipment: creates shipments per warehouse node, dispatches and delivers them.",
  eventTransport: KafkaEventTransport,
});
