import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, Min } from 'class-validator';
import { PAYMENT_STATUSES } from '../../payments/payment-rules';

export class MilestonesQuery {
  @ApiPropertyOptional({ description: 'Comma-separated orderIds (at most 1000); unknown ids are simply absent' })
  @IsOptional()
  @IsString()
  orderIds?: string;

  @ApiPropertyOptional({ description: 'ISO-8601 instant: orders whose payment state changed at or after it' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (updatedSince scans only)' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class MilestoneView {
  @ApiProperty({ example: 'AUTHORIZED' }) name!: string;
  @ApiProperty() at!: string;
  @ApiPropertyOptional() ref?: string;
  @ApiPropertyOptional() quantity?: number;
  @ApiPropertyOptional() detail?: Record<string, unknown>;
}

export class OrderMilestonesView {
  @ApiProperty() orderId!: string;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: [MilestoneView] }) milestones!: MilestoneView[];
  @ApiProperty({ description: '{ paymentId, authorizedMinor, capturedMinor, refundedMinor, voidedMinor, currency }' })
  facts!: Record<string, number | string | boolean | null>;
}

export class MilestonesPageView {
  @ApiProperty({ example: 'payment-service' }) service!: string;
  @ApiProperty({ type: [OrderMilestonesView] }) items!: OrderMilestonesView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
