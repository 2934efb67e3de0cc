import { createHash, timingSafeEqual } from 'node:crypto';
import { applyDecorators, type CanActivate, type ExecutionContext, HttpStatus, type Provider, SetMetadata } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ApiSecurity } from '@nestjs/swagger';
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

/** 401: no API key, or not the one the service holds. */
export class ApiKeyRejectedError extends DomainError {
  constructor(reason: 'missing' | 'wrong') {
    super(
      HttpStatus.UNAUTHORIZED,
      'api-key-rejected',
      'API key required',
      reason === 'missing' ? 'send the API key in the X-Api-Key header' : 'the X-Api-Key header does not hold the API key of this service',
    );
  }
}

/** Constant-time comparison of two secrets of any length (both are hashed to the same size first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Every HTTP route needs `X-Api-Key` equal to the service's key, except controllers marked
 * `@OpenToAnyone()`. Global (see apiKeyGuard), so a controller added later is guarded without
 * anyone remembering to.
 */
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKey: string,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true; // the event transport has no headers to check
    if (this.reflector.getAllAndOverride<boolean>(OPEN_TO_ANYONE, [context.getHandler(), context.getClass()])) return true;
    const given = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers[API_KEY_HEADER];
    if (typeof given !== 'string' || given === '') throw new ApiKeyRejectedError('missing');
    if (!sameSecret(given, this.apiKey)) throw new ApiKeyRejectedError('wrong');
    return true;
  }
}

/** The provider that puts ApiKeyGuard in front of every route of the app. */
export function apiKeyGuard(apiKey: string): Provider {
  return { provide: APP_GUARD, useFactory: (reflector: Reflector) => new ApiKeyGuard(reflector, apiKey), inject: [Reflector] };
}
