import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { decodeCursor, type FieldProblem, InvalidInputError, type KeysetPosition } from '@commerce/platform';

/** Most orderIds one `?orderIds=` request may name. */
export const MAX_ORDER_IDS = 1000;
/** Page size bounds of the paged modes (updatedSince, afterOrderId). */
export const DEFAULT_MILESTONES_LIMIT = 500;
/** Largest updatedSince page: every item of it is derived live. */
export const MAX_MILESTONES_LIMIT = 1000;
/**
 * Largest afterOrderId page: answered from the milestone documents, and a full scan reads a
 * million orders this way, where every page costs round trips on both sides.
 */
export const MAX_RANGE_LIMIT = 5000;

/** The forms a `GET /milestones` page comes in (@commerce/contracts milestones.ts and milestones-compact.ts). */
export const MILESTONES_FORMATS = ['full', 'compact'] as const;
export type MilestonesFormat = (typeof MILESTONES_FORMATS)[number];

/**
 * The query of every service's `GET /milestones` (the REST contract in @commerce/contracts
 * milestones.ts). Exactly one mode per request: `orderIds`, `updatedSince` (+ `cursor`), or
 * `afterOrderId` / `fromStart=true`; `parseMilestonesQuery` turns it into a selection.
 */
export class MilestonesQuery {
  @ApiPropertyOptional({
    description: `Comma-separated orderIds (at most ${MAX_ORDER_IDS}), answered in one page; unknown ids are left out`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  orderIds?: string;

  @ApiPropertyOptional({
    description: 'Orders changed at or after this ISO-8601 instant, oldest change first (keyset-paged by updatedAt, orderId)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page of an updatedSince query' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({
    description:
      'Every order whose orderId comes after this one (byte order), ascending by orderId; empty for the first page. ' +
      "The next page starts after the previous page's nextCursor (its last orderId).",
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  afterOrderId?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: every order ascending by orderId from the first (as afterOrderId= empty)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  fromStart?: boolean;

  /** @defaultValue 500 */
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_RANGE_LIMIT,
    default: DEFAULT_MILESTONES_LIMIT,
    description: `Items per page: an updatedSince query up to ${MAX_MILESTONES_LIMIT}, an afterOrderId query up to ${MAX_RANGE_LIMIT}`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RANGE_LIMIT)
  limit?: number;

  /** @defaultValue 'full' */
  @ApiPropertyOptional({
    enum: MILESTONES_FORMATS,
    default: 'full',
    description:
      'full: a MilestonesPage (JSON, items as objects); compact: application/x-ndjson, a header line then one item per line, ' +
      'each an array with epoch-millisecond times (@commerce/contracts milestones-compact.ts), what the reconciliation service reads',
  })
  @IsOptional()
  @IsIn(MILESTONES_FORMATS)
  format?: MilestonesFormat;
}

/** What one `GET /milestones` asks for, and in which form (absent: full); each service answers it from its own tables. */
export type MilestonesSelection = { format?: MilestonesFormat } & (
  /** These orders, in one page (nextCursor null). */
  | { kind: 'orders'; orderIds: string[] }
  /** Orders changed at or after `updatedSince`, ordered by (updatedAt, orderId), after the `after` position. */
  | { kind: 'changes'; updatedSince: string; after: KeysetPosition | null; limit: number }
  /**
   * Every order with orderId > `afterOrderId` (null: from the first), ordered by orderId in byte
   * order; nextCursor = the page's last orderId while more follow.
   */
  | { kind: 'range'; afterOrderId: string | null; limit: number }
);

/** The changes mode, derived live (the range and orderIds modes are answered from the milestone documents). */
export type ChangesSelection = Extract<MilestonesSelection, { kind: 'changes' }>;

/** The query fields `parseMilestonesQuery` reads (MilestonesQuery after validation). */
export type MilestonesQueryInput = Pick<MilestonesQuery, 'orderIds' | 'updatedSince' | 'cursor' | 'afterOrderId' | 'fromStart' | 'limit' | 'format'>;

const MODE_REQUIRED =
  'one of orderIds (comma-separated), updatedSince (ISO-8601) or afterOrderId (empty, or fromStart=true, for the first page) is required';

function refuse(...problems: FieldProblem[]): never {
  throw new InvalidInputError(problems);
}

/**
 * GET /milestones answers "these orders" (orderIds, unpaged), "what changed since" (updatedSince,
 * keyset-paged by (updatedAt, orderId) with `cursor`), or "everything in orderId order" (afterOrderId
 * / fromStart, keyset-paged by orderId). Asking for none, or for two at once, is a client error
 * naming the fields; so is a cursor outside an updatedSince query. (`limit` sizes the paged modes;
 * an orderIds answer is never cut.)
 */
export function parseMilestonesQuery(query: MilestonesQueryInput): MilestonesSelection {
  const selection = modeOf(query);
  return query.format === 'compact' ? { ...selection, format: 'compact' } : selection;
}

function modeOf(query: MilestonesQueryInput): MilestonesSelection {
  const modes: string[] = [];
  if (query.orderIds !== undefined) modes.push('orderIds');
  if (query.updatedSince !== undefined) modes.push('updatedSince');
  if (query.afterOrderId !== undefined) modes.push('afterOrderId');
  else if (query.fromStart === true) modes.push('fromStart');
  if (modes.length === 0) refuse(...['orderIds', 'updatedSince', 'afterOrderId'].map((field) => ({ field, message: MODE_REQUIRED })));
  if (modes.length > 1) refuse(...modes.map((field) => ({ field, message: `only one of ${modes.join(', ')} may be given` })));
  if (query.cursor !== undefined && query.updatedSince === undefined) {
    refuse({ field: 'cursor', message: 'only pages an updatedSince query (an afterOrderId query goes on after the last orderId it got)' });
  }

  if (query.orderIds !== undefined) {
    const orderIds = [...new Set(query.orderIds.split(',').map((id) => id.trim()).filter((id) => id.length > 0))];
    if (orderIds.length === 0) refuse({ field: 'orderIds', message: 'must name at least one orderId' });
    if (orderIds.length > MAX_ORDER_IDS) {
      refuse({ field: 'orderIds', message: `must name at most ${MAX_ORDER_IDS} orderIds, got ${orderIds.length}` });
    }
    return { kind: 'orders', orderIds };
  }
  const limit = query.limit ?? DEFAULT_MILESTONES_LIMIT;
  if (query.updatedSince !== undefined) {
    if (limit > MAX_MILESTONES_LIMIT) refuse({ field: 'limit', message: `must not be greater than ${MAX_MILESTONES_LIMIT} with updatedSince (up to ${MAX_RANGE_LIMIT} with afterOrderId)` });
    return { kind: 'changes', updatedSince: query.updatedSince, after: query.cursor === undefined ? null : decodeCursor(query.cursor), limit };
  }
  const afterOrderId = query.afterOrderId ?? '';
  if (query.fromStart === true && afterOrderId !== '') {
    refuse(
      { field: 'fromStart', message: 'starts at the first orderId, but afterOrderId names a position' },
      { field: 'afterOrderId', message: 'names a position, but fromStart=true starts at the first orderId' },
    );
  }
  return { kind: 'range', afterOrderId: afterOrderId === '' ? null : afterOrderId, limit };
}
