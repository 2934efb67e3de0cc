import { ConflictError } from '@commerce/platform';

/** Setting on-hand below what orders already hold would oversell them. */
export class StockBelowReservedError extends ConflictError {
  constructor(sku: string, node: string, requestedOnHand: number, reserved: number) {
    super(
      'stock-below-reserved',
      'On-hand stock cannot go below what is reserved',
      `${sku} at ${node}: ${reserved} units are reserved for orders, so on-hand cannot be set to ${requestedOnHand}`,
      { sku, node, requestedOnHand, reserved },
    );
  }
}
