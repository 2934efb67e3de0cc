import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PAYMENT_STATUSES } from '../../payments/payment-rules';

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
