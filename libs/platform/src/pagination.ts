import { InvalidInputError } from './problem-details';

/**
 * Keyset pagination over (timestamp, id): stable under concurrent inserts, no OFFSET scans.
 * The cursor is opaque to clients.
 */
export interface KeysetPosition {
  at: string;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field = 'cursor'): KeysetPosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw new Error('bad shape');
    return { at, id };
  } catch {
    throw new InvalidInputError([{ field, message: 'is not a cursor this service issued' }]);
  }
}
