import { createHash, timingSafeEqual } from 'node:crypto';
import { applyDecorators, type CanActivate, type ExecutionContext, HttpStatus, type Provider, SetMetadata } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ApiSecurity } from '@nestjs/swagger';
import { Counter } from 'prom-client';
import { type ApiKeyEntry, findApiKey, scopeAllows } from './api-keys';
import { FailedAttempts } from './failed-attempts';
import { createLogger } from './logger';
import { metricsRegistry } from './metrics-registry';
import { DomainError } from './problem-details';

/** The header a caller proves itself with, where a service asks for an API key. */
export const API_KEY_HEADER = 'x-api-key';
/** The OpenAPI security scheme naming that header (see configureServiceApp's `requireApiKey`). */
export const API_KEY_SCHEME = 'apiKey';

const OPEN_TO_ANYONE = 'platform:open-to-anyone';

/**
 * Marks a controller that answers without an API key (health probes, metrics scrapes: whoever
 * watches the service holds no key). In OpenAPI the empty requirement says "no credentials".
 */
export const OpenToAnyone = () => applyDecorators(SetMetadata(OPEN_TO_ANYONE, true), ApiSecurity({}));

/** 401: no API key, or not one the service holds. */
export class ApiKeyRejectedError extends DomainError {
  constructor(reason: 'missing' | 'wrong') {
    super(
      HttpStatus.UNAUTHORIZED,
      'api-key-rejected',
      'API key required',
      reason === 'missing' ? 'send the API key in the X-Api-Key header' : 'the X-Api-Key header does not hold an API key of this service',
    );
  }
}

/** 403: a known key whose scope does not cover the request (a read key on a POST). */
export class ApiKeyScopeError extends DomainError {
  constructor(caller: string, method: string) {
    super(HttpStatus.FORBIDDEN, 'api-key-scope', 'API key not allowed to do this', `the key of "${caller}" is a read key: ${method} needs a write key`, {
      caller,
    });
  }
}

/** 429: this client address sent too many refused keys this minute. */
export class TooManyFailedAttemptsError extends DomainError {
  constructor(retryAfterMs: number) {
    const seconds = Math.ceil(retryAfterMs / 1000);
    super(HttpStatus.TOO_MANY_REQUESTS, 'too-many-failed-attempts', 'Too many refused API keys', `too many refused API keys from this address: try again in ${seconds} s`, {
      retryAfterSeconds: seconds,
    });
  }
}

/** Refused requests by reason: missing, wrong, scope (a read key on a write), limited (429). */
export const apiKeyRejections = new Counter({
  name: 'api_key_rejections_total',
  help: 'Requests refused for their API key, by reason (missing, wrong, scope, limited)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

/** Constant-time comparison of two secrets of any length (both are hashed to the same size first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export interface ApiKeyGuardOptions {
  /** The keys the service accepts (several per caller while a key is rotated). */
  keys: readonly ApiKeyEntry[];
  /** Refused attempts per client address per minute before it is answered 429. @defaultValue 30 */
  failuresPerMinute?: number;
}

interface GuardedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/**
 * Every HTTP route needs an `X-Api-Key` the service holds, whose scope covers the method, except
 * controllers marked `@OpenToAnyone()`. Global (see apiKeyGuard), so a controller added later is
 * guarded without anyone remembering to. Refusals are counted, and limited per client address.
 */
export class ApiKeyGuard implements CanActivate {
  private readonly logger = createLogger('api-key');
  private readonly failures: FailedAttempts;

  constructor(
    private readonly reflector: Reflector,
    private readonly options: ApiKeyGuardOptions,
    now: () => number = Date.now,
  ) {
    this.failures = new FailedAttempts(options.failuresPerMinute ?? 30, now);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true; // the event transport has no headers to check
    if (this.reflector.getAllAndOverride<boolean>(OPEN_TO_ANYONE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const client = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
    const blockedFor = this.failures.blockedFor(client);
    if (blockedFor > 0) {
      apiKeyRejections.inc({ reason: 'limited' });
      throw new TooManyFailedAttemptsError(blockedFor);
    }
    const given = request.headers[API_KEY_HEADER];
    if (typeof given !== 'string' || given === '') throw this.refuse(client, 'missing', new ApiKeyRejectedError('missing'));
    const entry = findApiKey(this.options.keys, given);
    if (!entry) throw this.refuse(client, 'wrong', new ApiKeyRejectedError('wrong'));
    if (!scopeAllows(entry.scope, request.method)) throw this.refuse(client, 'scope', new ApiKeyScopeError(entry.caller, request.method));
    return true;
  }

  private refuse(client: string, reason: 'missing' | 'wrong' | 'scope', error: DomainError): DomainError {
    this.failures.record(client);
    apiKeyRejections.inc({ reason });
    this.logger.warn({ client, reason }, `refused a request: ${error.message}`);
    return error;
  }
}

/** The provider that puts ApiKeyGuard in front of every route of the app. */
export function apiKeyGuard(options: ApiKeyGuardOptions): Provider {
  return { provide: APP_GUARD, useFactory: (reflector: Reflector) => new ApiKeyGuard(reflector, options), inject: [Reflector] };
}
