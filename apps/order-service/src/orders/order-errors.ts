import { ConflictError, InvalidInputError } from '@commerce/platform';
import type { OrderStatus } from './order-status';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

export class MissingIdempotencyKeyError extends InvalidInputError {
  constructor(problem: string) {
    super([{ field: IDEMPOTENCY_KEY_HEADER, message: `header ${problem}` }]);
  }
}

/** The key was first used with another body: replaying it cannot mean this request. */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor(key: string, orderId: string) {
    super(
      'idempotency-key-reused',
      'Idempotency key already used with another request',
      `${IDEMPOTENCY_KEY_HEADER} "${key}" was used to place order ${orderId} with a different body`,
      { idempotencyKey: key, orderId },
    );
  }
}

export class OrderNotCancellableError extends ConflictError {
  constructor(orderId: string, status: OrderStatus) {
    super('order-not-cancellable', 'Order cannot be cancelled', `Order ${orderId} is ${status}; it can no longer be cancelled`, {
      orderId,
      orderStatus: status,
    });
  }
}
