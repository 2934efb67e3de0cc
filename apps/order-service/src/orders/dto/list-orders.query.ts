import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { ORDER_STATUSES, type OrderStatus } from '../order-status';

export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  customerId?: string;

  @ApiPropertyOptional({ description: 'Only orders placed strictly after this ISO-8601 instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  placedAfter?: string;

  @ApiPropertyOptional({ description: 'Only orders placed strictly before this ISO-8601 instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  placedBefore?: string;

  /** @defaultValue 20 */
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  cursor?: string;
}
