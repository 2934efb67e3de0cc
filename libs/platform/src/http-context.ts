import { randomUUID } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { workContext } from './context';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Every request runs in a work context: the caller's `X-Correlation-Id`, or a new one,
 * echoed back so clients can quote it.
 */
@Injectable()
export class HttpContextMiddleware implements NestMiddleware {
  use(
    request: { headers: Record<string, string | string[] | undefined> },
    response: { setHeader(name: string, value: string): void },
    next: () => void,
  ): void {
    const given = request.headers[CORRELATION_HEADER];
    const correlationId = (Array.isArray(given) ? given[0] : given) || randomUUID();
    response.setHeader(CORRELATION_HEADER, correlationId);
    workContext.run({ correlationId, causationId: null }, next);
  }
}
