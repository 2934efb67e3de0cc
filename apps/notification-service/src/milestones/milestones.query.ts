import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

export const MAX_ORDER_IDS = 1000;

/** GET /milestones: either `orderIds`, or `updatedSince` with keyset paging. */
export class MilestonesQuery {
  @ApiPropertyOptional({ description: `Comma-separated orderIds (at most ${MAX_ORDER_IDS}); unknown ids are left out` })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  orderIds?: string;

  @ApiPropertyOptional({ description: 'Orders whose notifications changed at or after this ISO-8601 instant, oldest change first' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  cursor?: string;

  /** @defaultValue 500 */
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
