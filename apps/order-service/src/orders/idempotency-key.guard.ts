import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { IDEMPOTENCY_KEY_HEADER, MissingIdempotencyKeyError } from './order-errors';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The key the client chose for this request, as the guard checked it. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string {
  const value = headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/**
 * Rejects a request without a usable `Idempotency-Key` header before its body is even
 * validated: without the key a retried request could place a second order.
 */
@Injectable()
export class IdempotencyKeyRequired implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const key = idempotencyKeyOf(request.headers);
    if (key === '') throw new MissingIdempotencyKeyError('is required: a client-chosen unique string per order');
    if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw new MissingIdempotencyKeyError(`must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    return true;
  }
}
