import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import { PageCursor, PageLimit } from '@commerce/platform';
import { CASE_STATUSES } from '../case-lifecycle';

/** `open` stands for every open status (OPEN, AUTO_REPAIRING, NEEDS_ATTENTION). */
export const CASE_STATUS_FILTERS = [...CASE_STATUSES, 'open'] as const;

/** A duration (`90s`, `30m`, `2h`, `7d`) or an ISO-8601 instant. */
export const AGE_PATTERN = /^(\d+(s|m|h|d)|\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2}))$/;

export class ListCasesQuery {
  @ApiPropertyOptional({ enum: CASE_STATUS_FILTERS, description: '`open` = OPEN, AUTO_REPAIRING and NEEDS_ATTENTION' })
  @IsOptional()
  @IsIn(CASE_STATUS_FILTERS)
  status?: (typeof CASE_STATUS_FILTERS)[number];

  @ApiPropertyOptional({ description: 'A rule id (GET /rules)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  rule?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  orderId?: string;

  @ApiPropertyOptional({ description: 'Cases opened before this: a duration ago (`30m`, `2h`, `7d`) or an ISO-8601 instant', example: '2h' })
  @IsOptional()
  @Matches(AGE_PATTERN, { message: 'olderThan must be a duration like 30m, 2h or 7d, or an ISO-8601 instant' })
  olderThan?: string;

  @PageCursor()
  cursor?: string;

  /** @defaultValue 50 */
  @PageLimit({ default: 50, max: 200 })
  limit?: number;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The instant `olderThan` stands for, relative to `now` for durations. */
export function olderThanInstant(olderThan: string, now: Date): Date {
  const duration = /^(\d+)(s|m|h|d)$/.exec(olderThan);
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS]);
  return new Date(olderThan);
}
