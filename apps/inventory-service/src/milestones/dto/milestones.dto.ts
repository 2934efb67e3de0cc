import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class MilestoneView {
  @ApiProperty({ example: 'RESERVED' }) name!: string;
  @ApiProperty() at!: string;
  @ApiPropertyOptional() ref?: string;
  @ApiPropertyOptional() quantity?: number;
  @ApiPropertyOptional() detail?: Record<string, unknown>;
}

export class OrderMilestonesView {
  @ApiProperty() orderId!: string;
  @ApiProperty({ enum: ['RESERVED', 'PARTIALLY_COMMITTED', 'COMMITTED', 'RELEASED', 'REJECTED'] }) status!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: [MilestoneView] }) milestones!: MilestoneView[];
  @ApiProperty({ description: '{ reservationId, reservedUnits, committedUnits, releasedUnits, requestedUnits }' })
  facts!: Record<string, number | string | boolean | null>;
}

export class MilestonesPageView {
  @ApiProperty({ example: 'inventory-service' }) service!: string;
  @ApiProperty({ type: [OrderMilestonesView] }) items!: OrderMilestonesView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
