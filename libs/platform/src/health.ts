import { Controller, Get, Injectable, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { OpenToAnyone } from './credential-guard';

/** Implemented by the messaging library; platform only knows that a broker can be checked. */
export abstract class BrokerHealth {
  /** Resolves with details when the broker answers; rejects with the reason otherwise. */
  abstract check(): Promise<Record<string, unknown>>;
}

@Injectable()
export class ShutdownState {
  shuttingDown = false;
}

@ApiTags('health')
@OpenToAnyone()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Optional() private readonly broker?: BrokerHealth,
  ) {}

  /** Liveness: the process answers. */
  @Get('live')
  live() {
    return { status: shutdownStatus(this.shutdown) };
  }

  /** Readiness: the database and the broker answer, and the service is not shutting down. */
  @Get()
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1500 }),
      () => {
        const session = this.indicators.check('broker');
        if (!this.broker) return session.up({ message: 'no broker used' });
        return this.broker.check().then(
          (details) => session.up(details),
          (error: unknown) => session.down({ message: (error as Error).message }),
        );
      },
      () => {
        const session = this.indicators.check('lifecycle');
        return this.shutdown.shuttingDown ? session.down({ message: 'shutting down' }) : session.up();
      },
    ]);
  }
}

function shutdownStatus(state: ShutdownState) {
  return state.shuttingDown ? 'shutting-down' : 'ok';
}
