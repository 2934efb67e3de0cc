import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const MAX_ORDER_IDS = 1000;
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 500;

export class MilestonesQuery {
  @ApiPropertyOptional({ description: `comma-separated orderIds (at most ${MAX_ORDER_IDS})` })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  orderIds?: string;

  @ApiPropertyOptional({ description: 'ISO-8601: orders changed at or after this instant, oldest change first' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;
}
