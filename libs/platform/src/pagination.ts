import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
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

/**
 * SQL text of a timestamptz column as exact microsecond ISO-8601 UTC text, for a KeysetPosition's
 * `at` (a JS Date would drop the microseconds and a page boundary could skip rows).
 */
export function keysetTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export interface KeysetPage<T> {
  rows: T[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

/**
 * One page of a keyset scan read with `LIMIT limit + 1`: the extra row only tells that another page
 * follows, and the cursor to it is made from the last row kept.
 */
export function keysetPage<T>(rows: readonly T[], limit: number, cursorAfter: (last: T) => string): KeysetPage<T> {
  if (limit < 1 || rows.length <= limit) return { rows: rows.slice(0, Math.max(limit, 0)), nextCursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: cursorAfter(page[page.length - 1]) };
}

/**
 * The `limit` query field of a keyset-paged list: an integer 1..`max`, optional. `default` is the
 * page size the service uses without one (documented here; applied where the query is read).
 */
export function PageLimit(options: { default: number; max: number }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: options.max, default: options.default }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(options.max),
  );
}

/** The `cursor` query field of a keyset-paged list: the previous page's nextCursor, optional. */
export function PageCursor(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ description: 'nextCursor of the previous page' }), IsOptional(), IsString(), IsNotEmpty());
}
