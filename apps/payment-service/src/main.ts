// First: tracing patches http, express, pg, ioredis and Nest as they load (a no-op unless OTEL_* is set).
import '@commerce/platform/tracing';
import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@commerce/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';
import { paymentService } from './service';

const config = loadConfig(configSchema);
void bootstrapService(AppModule.forRoot(config), { ...paymentService, port: config.PORT, host: config.HOST });
