import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PAYMENT_STATUSES, type PaymentStatus } from '../payment-rules';

export class OrderIdParams {
  @ApiProperty({ example: '6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f601' })
  @Matches(/^[^\s/]{1,200}$/, { message: 'orderId must be 1-200 characters without spaces or slashes' })
  orderId!: string;
}

export class ListPaymentsQuery {
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  status?: PaymentStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class PaymentSummaryView {
  @ApiProperty() paymentId!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status!: PaymentStatus;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'From InventoryReserved' }) amountToAuthorizeMinor!: number | null;
  @ApiProperty() authorizedMinor!: number;
  @ApiProperty() capturedMinor!: number;
  @ApiProperty() refundedMinor!: number;
  @ApiProperty() voidedMinor!: number;
  @ApiProperty({ type: String, nullable: true }) declineReason!: string | null;
  @ApiProperty({ type: [String], description: 'PENDING only: the events authorization still waits for' }) waitingFor!: string[];
  @ApiProperty({ type: String, nullable: true }) cancellationRequestedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) authorizedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) declinedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) voidedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CaptureView {
  @ApiProperty() shipmentId!: string;
  @ApiProperty() amountMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() capturedAt!: string;
}

export class RefundView {
  @ApiProperty() refundId!: string;
  @ApiProperty() amountMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() refundedAt!: string;
}

export class PaymentView extends PaymentSummaryView {
  @ApiProperty({ type: [CaptureView] }) captures!: CaptureView[];
  @ApiProperty({ type: [RefundView] }) refunds!: RefundView[];
}

export class PaymentPage {
  @ApiProperty({ type: [PaymentSummaryView] }) items!: PaymentSummaryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
