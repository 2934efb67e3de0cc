// First: tracing patches http, express, pg, ioredis and Nest as they load (a no-op unless OTEL_* is set).
import '@commerce/platform/tracing';
import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@commerce/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

const config = loadConfig(configSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'reconciliation-dashboard',
  port: config.PORT, host: config.HOST,
  description: "Operators' reconciliation dashboard: runs, cases and repairs, and the BullMQ queues, behind operator sign-in.",
});
