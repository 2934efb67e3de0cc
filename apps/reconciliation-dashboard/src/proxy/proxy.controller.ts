import { All, Controller, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { API_KEY_HEADER, CORRELATION_HEADER, createLogger, DomainError } from '@commerce/platform';
import { operatorOf, sendProblem } from '../auth/auth.middleware';
import type { DashboardConfig } from '../config';
import { DASHBOARD_CONFIG } from '../tokens';
import { attributeBody, FORWARDED_REQUEST_HEADERS, FORWARDED_RESPONSE_HEADERS, upstreamPath } from './reconciliation-proxy';

/** The reconciliation service did not answer (down, refused, or too slow). */
export class ReconciliationUnavailableError extends DomainError {
  constructor(status: 502 | 504, detail: string) {
    super(status, 'reconciliation-unavailable', 'Reconciliation service unavailable', detail);
  }
}

/**
 * `/api/*` → the reconciliation service, as the signed-in operator: `X-Operator` carries their
 * name, and any `actor` in the body is overwritten with it, so the audit trail names the person
 * who clicked, whatever the browser sent.
 */
@ApiExcludeController()
@Controller('api')
export class ProxyController {
  private readonly logger = createLogger('reconciliation-dashboard');

  constructor(@Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig) {}

  @All('*path')
  async forward(@Req() request: Request, @Res() response: Response): Promise<void> {
    const operator = operatorOf(response);
    const url = new URL(request.originalUrl, 'http://dashboard.invalid');
    const path = upstreamPath(url.pathname);
    if (!path) return sendProblem(response, 404, 'not-found', 'Not found', `${url.pathname} is not a reconciliation API the dashboard offers`);
    if (request.method !== 'GET' && request.method !== 'POST') {
      response.setHeader('Allow', 'GET, POST');
      return sendProblem(response, 405, 'method-not-allowed', 'Method not allowed', 'The dashboard forwards GET and POST only.');
    }
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (request.method === 'POST' && hasBody && !request.is('application/json')) {
      return sendProblem(response, 415, 'unsupported-media-type', 'Unsupported media type', 'Send actions as application/json.');
    }

    const headers: Record<string, string> = { 'x-operator': operator.name };
    // The platform gave this request a correlation id (the caller's, or a new one): the service logs under the same.
    const correlationId = response.getHeader(CORRELATION_HEADER);
    if (typeof correlationId === 'string') headers[CORRELATION_HEADER] = correlationId;
    headers[API_KEY_HEADER] = this.config.RECONCILIATION_API_KEY;
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    let body: string | undefined;
    if (request.method === 'POST') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(attributeBody(path, request.body, operator.name));
    }

    const target = new URL(`${withTrailingSlashRemoved(this.config.RECONCILIATION_URL)}${path}${url.search}`);
    let upstream: globalThis.Response;
    try {
      upstream = await fetch(target, {
        method: request.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.RECONCILIATION_TIMEOUT_MS),
      });
    } catch (error) {
      // The service being down is the dashboard's normal weather, not its fault: warn, and say so.
      const problem = unavailable(error, this.config);
      this.logger.warn({ path, err: error }, problem.message);
      return sendProblem(response, problem.status, problem.problemType, problem.title, problem.message);
    }
    const text = await upstream.text();
    if (upstream.status === HttpStatus.UNAUTHORIZED) {
      // The service refused the dashboard's key, not the operator: forwarding the 401 would read as "sign in again".
      const problem = new ReconciliationUnavailableError(HttpStatus.BAD_GATEWAY, `${this.config.RECONCILIATION_URL} refused the dashboard's RECONCILIATION_API_KEY`);
      this.logger.error({ path }, problem.message);
      return sendProblem(response, problem.status, problem.problemType, problem.title, problem.message);
    }
    if (request.method === 'POST') {
      this.logger.info({ operator: operator.name, path, status: upstream.status }, `operator ${operator.name} POST ${path} → ${upstream.status}`);
    }
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value === null || (name === 'location' && !value.startsWith('/'))) continue;
      response.setHeader(name, name === 'location' ? `/api${value}` : value);
    }
    response.setHeader('Cache-Control', 'no-store');
    response.status(upstream.status).send(text);
  }
}

function withTrailingSlashRemoved(base: string): string {
  return base.replace(/\/+$/, '');
}

function unavailable(error: unknown, config: DashboardConfig): ReconciliationUnavailableError {
  const failure = error as Error;
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') {
    return new ReconciliationUnavailableError(HttpStatus.GATEWAY_TIMEOUT, `${config.RECONCILIATION_URL} did not answer within ${config.RECONCILIATION_TIMEOUT_MS} ms`);
  }
  return new ReconciliationUnavailableError(HttpStatus.BAD_GATEWAY, `${config.RECONCILIATION_URL} is not reachable (${rootCause(failure)})`);
}

/** fetch says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is further down the causes. */
function rootCause(error: Error): string {
  // Duck-typed, not instanceof: undici's errors may come from another realm (jest's sandbox).
  let current = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | undefined;
  let reason = error.message;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    reason = typeof current.code === 'string' ? current.code : typeof current.message === 'string' && current.message ? current.message : reason;
    current = (current.cause ?? (Array.isArray(current.errors) ? current.errors[0] : undefined)) as typeof current;
  }
  return reason;
}
