import { createHash, timingSafeEqual } from 'node:crypto';
import { applyDecorators, type CanActivate, type ExecutionContext, HttpStatus, type Provider, SetMetadata } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ApiSecurity } from '@nestjs/swagger';
import { Counter } from 'prom-client';
import { type ApiKeyEntry, type ApiKeyScope, findApiKey, scopeAllows } from './api-keys';
import { type BearerTokenOptions, BearerTokenVerifier, type TokenRefusal, type TokenRefusedError } from './bearer-tokens';
import { FailedAttempts } from './failed-attempts';
import { createLogger } from './logger';
import { metricsRegistry } from './metrics-registry';
import { DomainError } from './problem-details';

/** The header a caller proves itself with, where a service asks for an API key. */
export const API_KEY_HEADER = 'x-api-key';
/** The OpenAPI security scheme naming that header (see configureServiceApp's `requireApiKey`). */
export const API_KEY_SCHEME = 'apiKey';
/** The OpenAPI security scheme of `Authorization: Bearer <JWT>`, declared when the service accepts tokens. */
export const BEARER_SCHEME = 'bearer';
/** The provider token of the schemes the app's CredentialGuard accepts (PlatformModule provides it; configureServiceApp declares them). */
export const ACCEPTED_CREDENTIALS = Symbol('ACCEPTED_CREDENTIALS');

/** The OpenAPI security schemes a guard with these options accepts: API keys when it holds any, Bearer tokens when an issuer is set. */
export function acceptedSchemes(options: Pick<CredentialGuardOptions, 'keys' | 'tokens'>): string[] {
  return [...(options.keys.length > 0 ? [API_KEY_SCHEME] : []), ...(options.tokens ? [BEARER_SCHEME] : [])];
}

const OPEN_TO_ANYONE = 'platform:open-to-anyone';

/**
 * Marks a controller that answers without a credential (health probes, metrics scrapes: whoever
 * watches the service holds none). In OpenAPI the empty requirement says "no credentials".
 */
export const OpenToAnyone = () => applyDecorators(SetMetadata(OPEN_TO_ANYONE, true), ApiSecurity({}));

/** 401: no credential at all, or an API key the service does not hold. */
export class ApiKeyRejectedError extends DomainError {
  constructor(reason: 'missing' | 'wrong', acceptsTokens = false) {
    const missing = acceptsTokens
      ? 'send an API key in the X-Api-Key header or a token in the Authorization header (Bearer)'
      : 'send the API key in the X-Api-Key header';
    super(
      HttpStatus.UNAUTHORIZED,
      'api-key-rejected',
      'API key required',
      reason === 'missing' ? missing : 'the X-Api-Key header does not hold an API key of this service',
      { reason },
    );
  }
}

/** 401 (503 when the issuer's keys cannot be read): a Bearer token that was not accepted, and why. */
export class BearerTokenRejectedError extends DomainError {
  constructor(reason: TokenRefusal, detail: string) {
    const unavailable = reason === 'issuer-unreachable';
    super(unavailable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.UNAUTHORIZED, 'bearer-token-rejected', unavailable ? 'Token cannot be checked now' : 'Token not accepted', detail, { reason });
  }
}

/** 403: a known caller whose scope does not cover the request (a read key or token on a POST). */
export class ApiKeyScopeError extends DomainError {
  constructor(caller: string, method: string, scope: ApiKeyScope | null, credential: 'key' | 'token' = 'key') {
    const detail = scope === 'read' ? `the ${credential} of "${caller}" is a read ${credential}: ${method} needs a write ${credential}` : `the token of "${caller}" grants neither the read nor the write scope`;
    super(HttpStatus.FORBIDDEN, 'api-key-scope', `${credential === 'key' ? 'API key' : 'Token'} not allowed to do this`, detail, { caller });
  }
}

/** 429: this client address sent too many refused credentials this minute. */
export class TooManyFailedAttemptsError extends DomainError {
  constructor(retryAfterMs: number) {
    const seconds = Math.ceil(retryAfterMs / 1000);
    super(HttpStatus.TOO_MANY_REQUESTS, 'too-many-failed-attempts', 'Too many refused API keys', `too many refused API keys or tokens from this address: try again in ${seconds} s`, {
      retryAfterSeconds: seconds,
    });
  }
}

/**
 * Refused requests by reason: missing, wrong (key), scope, limited (429), and for tokens expired,
 * audience, issuer, signature, malformed, issuer-unreachable.
 */
export const apiKeyRejections = new Counter({
  name: 'api_key_rejections_total',
  help: 'Requests refused for their credential, by reason (missing, wrong, scope, limited, expired, audience, issuer, signature, malformed, issuer-unreachable)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

/** Constant-time comparison of two secrets of any length (both are hashed to the same size first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export interface CredentialGuardOptions {
  /** The keys the service accepts (several per caller while a key is rotated). */
  keys: readonly ApiKeyEntry[];
  /** JWTs from an OIDC issuer, accepted beside the keys. @defaultValue none (keys only) */
  tokens?: BearerTokenOptions | null;
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
 * Every HTTP route needs a credential, either an `X-Api-Key` the service holds or an
 * `Authorization: Bearer` JWT of the configured issuer, whose scope covers the method; except
 * controllers marked `@OpenToAnyone()`. Global (see credentialGuard), so a controller added later is
 * guarded without anyone remembering to. Refusals are counted, and limited per client address.
 */
export class CredentialGuard implements CanActivate {
  private readonly logger = createLogger('credentials');
  private readonly failures: FailedAttempts;
  private readonly tokens: BearerTokenVerifier | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly options: CredentialGuardOptions,
    now: () => number = Date.now,
  ) {
    this.failures = new FailedAttempts(options.failuresPerMinute ?? 30, now);
    this.tokens = options.tokens ? new BearerTokenVerifier(options.tokens) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // the event transport has no headers to check
    if (this.reflector.getAllAndOverride<boolean>(OPEN_TO_ANYONE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const client = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
    const blockedFor = this.failures.blockedFor(client);
    if (blockedFor > 0) {
      apiKeyRejections.inc({ reason: 'limited' });
      throw new TooManyFailedAttemptsError(blockedFor);
    }
    const key = request.headers[API_KEY_HEADER];
    const bearer = this.tokens ? bearerToken(request.headers['authorization']) : null;
    if (typeof key === 'string' && key !== '') {
      const entry = findApiKey(this.options.keys, key);
      if (!entry) throw this.refuse(client, 'wrong', new ApiKeyRejectedError('wrong'));
      if (!scopeAllows(entry.scope, request.method)) throw this.refuse(client, 'scope', new ApiKeyScopeError(entry.caller, request.method, entry.scope));
      return true;
    }
    if (this.tokens && bearer) {
      const verified = await this.tokens.verify(bearer).catch((error: unknown) => {
        const refused = error as TokenRefusedError;
        throw this.refuse(client, refused.reason, new BearerTokenRejectedError(refused.reason, refused.message));
      });
      if (!verified.scope || !scopeAllows(verified.scope, request.method)) {
        throw this.refuse(client, 'scope', new ApiKeyScopeError(verified.caller, request.method, verified.scope, 'token'));
      }
      return true;
    }
    throw this.refuse(client, 'missing', new ApiKeyRejectedError('missing', this.tokens !== null));
  }

  private refuse(client: string, reason: string, error: DomainError): DomainError {
    // The issuer being down is not the caller's fault: it does not count towards the caller's limit.
    if (reason !== 'issuer-unreachable') this.failures.record(client);
    apiKeyRejections.inc({ reason });
    this.logger.warn({ client, reason }, `refused a request: ${error.message}`);
    return error;
  }
}

/** The token of `Authorization: Bearer <token>`; null for any other header. */
function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? (match[1] as string) : null;
}

/** The provider that puts CredentialGuard in front of every route of the app. */
export function credentialGuard(options: CredentialGuardOptions): Provider {
  return { provide: APP_GUARD, useFactory: (reflector: Reflector) => new CredentialGuard(reflector, options), inject: [Reflector] };
}
