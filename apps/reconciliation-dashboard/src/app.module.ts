import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { PlatformModule } from '@commerce/platform';
import { AccessGate } from './auth/access-gate';
import { AuthMiddleware } from './auth/auth.middleware';
import { AuthService } from './auth/auth.service';
import { SignInController } from './auth/signin.controller';
import type { DashboardConfig } from './config';
import { DashboardHealthMiddleware } from './health.middleware';
import { PagesController } from './pages/pages.controller';
import { ProxyController } from './proxy/proxy.controller';
import { QueueBoard } from './queues/queue-board';
import { QueuesController } from './queues/queues.controller';
import { DASHBOARD_CONFIG } from './tokens';

/**
 * The operators' dashboard: sign-in, the one-page app, `/api/*` forwarded to the reconciliation
 * service as the signed-in operator, and bull-board at /queues. No database, no event transport.
 */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: DashboardConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot()],
      controllers: [SignInController, PagesController, ProxyController, QueuesController],
      providers: [{ provide: DASHBOARD_CONFIG, useValue: config }, AuthService, AuthMiddleware, AccessGate, QueueBoard],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Access control is not here but in AccessGate: it must run before routes Nest does not own.
    consumer.apply(DashboardHealthMiddleware).forRoutes({ path: 'health', method: RequestMethod.GET });
  }
}
