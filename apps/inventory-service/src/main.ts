import 'reflect-metadata';
import { KafkaEventTransport } from '@commerce/messaging';
import { bootstrapService, loadConfig } from '@commerce/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

const config = loadConfig(configSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'inventory-service',
  port: config.PORT,
  description: "Inventory: stock per SKU per warehouse node; reserves, releases and commits stock for orders.",
  eventTransport: KafkaEventTransport,
});
