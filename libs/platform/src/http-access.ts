import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { Histogram } from 'prom-client';
import pinoHttp, { type HttpLogger } from 'pino-http';
import { CORRELATION_HEADER } from './http-context';
import { createLogger } from './logger';
import { metricsRegistry } from './metrics';
import { currentTraceId } from './tracing/trace-context';

export const httpRequestSeconds = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests served, by method, route (the matched pattern, not the path) and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** Probes and scrapes: measured, not logged (they come every few seconds). */
const QUIET_PATHS = new Set(['/health', '/metrics']);

type Request = IncomingMessage & { originalUrl?: string; route?: { path?: string }; traceId?: string };

/** `/orders/:id`, not `/orders/5f2…`: a label per pattern, not per order. */
function routeOf(request: Request): string {
  // Nest registers each route with its full path on the app's router.
  const pattern = request.route?.path;
  return typeof pattern === 'string' ? pattern : 'unmatched';
}

const pathOf = (request: Request) => (request.originalUrl ?? request.url ?? '').split('?')[0] ?? '';

/**
 * One access-log line per request (method, route, status, duration, correlation and trace id) by
 * pino-http, and the request's duration in `http_request_duration_seconds`.
 */
@Injectable()
export class HttpAccessMiddleware implements NestMiddleware {
  private readonly logger: HttpLogger<Request, ServerResponse>;

  constructor() {
    this.logger = pinoHttp<Request, ServerResponse>({
      logger: createLogger('http'),
      autoLogging: { ignore: (request) => QUIET_PATHS.has(pathOf(request)) },
      quietReqLogger: true,
      // pino-http binds the request to the line: its id, method and path only, never headers (credentials).
      serializers: { req: (request: { id?: unknown; method?: string; url?: string }) => ({ id: request.id, method: request.method, url: request.url }) },
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info'),
      customSuccessMessage: (request, response, ms) => `${request.method} ${pathOf(request)} ${response.statusCode} ${Math.round(ms)} ms`,
      customErrorMessage: (request, response) => `${request.method} ${pathOf(request)} ${response.statusCode} failed`,
      // Our own fields instead of pino-http's full request and response (headers carry credentials).
      customSuccessObject: (request, response, value: { responseTime?: number }) => ({
        method: request.method,
        route: routeOf(request),
        status: response.statusCode,
        durationMs: Math.round(value.responseTime ?? 0),
        correlationId: response.getHeader(CORRELATION_HEADER),
        traceId: request.traceId,
      }),
      customErrorObject: (request, response, error, value: { responseTime?: number }) => ({
        method: request.method,
        route: routeOf(request),
        status: response.statusCode,
        durationMs: Math.round(value.responseTime ?? 0),
        correlationId: response.getHeader(CORRELATION_HEADER),
        traceId: request.traceId,
        err: error,
      }),
    });
  }

  use(request: Request, response: ServerResponse, next: () => void): void {
    request.traceId = currentTraceId();
    const stop = httpRequestSeconds.startTimer();
    response.once('finish', () => stop({ method: request.method ?? 'GET', route: routeOf(request), status: String(response.statusCode) }));
    this.logger(request, response, next);
  }
}
