import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The OpenAPI description of a `GET /milestones` page in the full form (`MilestonesPage` of
 * @commerce/contracts milestones.ts, which is what the answers are checked against).
 */
export class MilestoneView {
  @ApiProperty({ example: 'AUTHORIZED', description: "The service's own word for what happened" }) name!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ description: "The service's record this milestone belongs to (reservationId, paymentId, shipmentId, ...)" }) ref?: string;
  @ApiPropertyOptional() amountMinor?: number;
  @ApiPropertyOptional({ minLength: 3, maxLength: 3 }) currency?: string;
  @ApiPropertyOptional() quantity?: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) detail?: Record<string, unknown>;
}

export class OrderMilestonesView {
  @ApiProperty() orderId!: string;
  @ApiProperty({ description: "The service's current state for the order, in its own words (see the operation's description)" }) status!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: [MilestoneView] }) milestones!: MilestoneView[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }], nullable: true },
    description: "Summary figures the reconciliation rules check (see the operation's description)",
  })
  facts!: Record<string, number | string | boolean | null>;
}

export class MilestonesPageView {
  @ApiProperty({ example: 'payment-service' }) service!: string;
  @ApiProperty({ type: [OrderMilestonesView] }) items!: OrderMilestonesView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Where the next page starts; null on the last page: `cursor` of an updatedSince query, `afterOrderId` of an afterOrderId one (its last orderId)',
  })
  nextCursor!: string | null;
}

export class FieldProblemView {
  @ApiProperty({ example: 'updatedSince' }) field!: string;
  @ApiProperty() message!: string;
}

/** A 400 answer: RFC 9457 problem details naming each field at fault. */
export class MilestonesProblemView {
  @ApiProperty() type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional() instance?: string;
  @ApiProperty({ type: [FieldProblemView] }) errors!: FieldProblemView[];
}
