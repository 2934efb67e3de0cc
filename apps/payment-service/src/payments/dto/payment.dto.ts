import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageCursor, PageLimit } from '@commerce/platform';
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

  /** @defaultValue 50 */
  @PageLimit({ default: 50, max: 200 })
  limit?: number;

  @PageCursor()
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
