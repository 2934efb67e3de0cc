import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@commerce/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

const config = loadConfig(configSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'reconciliation-service',
  port: config.PORT,
  description: "Reconciliation: compares every service's milestones per order, opens repair cases and emits repair commands.",
});
