import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, type BeforeApplicationShutdown, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ACCEPTED_CREDENTIALS, acceptedSchemes, credentialGuard, type CredentialGuardOptions } from './credential-guard';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, ShutdownState } from './health';
import { HttpAccessMiddleware } from './http-access';
import { HttpContextMiddleware } from './http-context';
import { MetricsController } from './metrics';
import { ProblemDetailsFilter } from './problem-details';
import { shutdownTracing } from './tracing/trace-context';

@Injectable()
class ShutdownFlag implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(private readonly state: ShutdownState) {}
  beforeApplicationShutdown() {
    this.state.shuttingDown = true;
  }
  /** Last: the spans of the shutdown itself (the outbox's final flush) are sent too. */
  onApplicationShutdown(): Promise<void> {
    return shutdownTracing();
  }
}

/**
 * What every service has: problem details, /health, /metrics, correlation ids on requests; with
 * `credentials`, a credential (API key or token) in front of every other route (see CredentialGuard).
 */
@Module({})
export class PlatformModule implements NestModule {
  static forRoot(options: { credentials?: CredentialGuardOptions } = {}): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ShutdownState,
        ShutdownFlag,
        // Always provided (null: no guard of ours), so configureServiceApp's lookup cannot miss: a
        // miss in an app of NestFactory.create ends the process.
        { provide: ACCEPTED_CREDENTIALS, useValue: options.credentials ? acceptedSchemes(options.credentials) : null },
        ...(options.credentials ? [credentialGuard(options.credentials)] : []),
      ],
      exports: [ShutdownState, ACCEPTED_CREDENTIALS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpContextMiddleware, HttpAccessMiddleware).forRoutes('*path');
  }
}
