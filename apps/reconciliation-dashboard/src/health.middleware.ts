import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ShutdownState } from '@commerce/platform';

/**
 * Readiness of a service without a database. The platform's /health pings the database, which
 * the dashboard does not have (so it would always read "down"); answer it here instead, in the
 * same shape: up unless shutting down. The reconciliation service and Redis are deliberately not
 * part of it: the dashboard is useful (and says what is down) while they are not.
 */
@Injectable()
export class DashboardHealthMiddleware implements NestMiddleware {
  constructor(private readonly shutdown: ShutdownState) {}

  use(request: Request, response: Response, next: NextFunction): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const down = this.shutdown.shuttingDown;
    const lifecycle = down ? { status: 'down', message: 'shutting down' } : { status: 'up' };
    response
      .status(down ? 503 : 200)
      .json({ status: down ? 'error' : 'ok', info: down ? {} : { lifecycle }, error: down ? { lifecycle } : {}, details: { lifecycle } });
  }
}
