import { InvalidInputError } from '@commerce/platform';

/** Keyset position of the stock listing, ordered by (sku, node); opaque to clients. */
export interface StockPosition {
  sku: string;
  node: string;
}

export function encodeStockCursor(position: StockPosition): string {
  return Buffer.from(JSON.stringify([position.sku, position.node]), 'utf8').toString('base64url');
}

export function decodeStockCursor(cursor: string): StockPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidInputError([{ field: 'cursor', message: `is not a cursor this service issued (${(error as Error).message})` }]);
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || typeof decoded[0] !== 'string' || typeof decoded[1] !== 'string') {
    throw new InvalidInputError([{ field: 'cursor', message: 'is not a cursor this service issued' }]);
  }
  return { sku: decoded[0], node: decoded[1] };
}
