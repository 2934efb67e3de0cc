import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { PageCursor, PageLimit } from '@commerce/platform';
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
  @PageLimit({ default: 20, max: 100 })
  limit?: number;

  @PageCursor()
  cursor?: string;
}
