import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { RESERVATION_STATUSES, type ReservationStatus } from '../reservation-rules';

export class OrderIdParams {
  @ApiProperty({ example: '6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f601' })
  @Matches(/^[^\s/]{1,200}$/, { message: 'orderId must be 1-200 characters without spaces or slashes' })
  orderId!: string;
}

export class ReservationLineView {
  @ApiProperty() sku!: string;
  @ApiProperty({ description: 'Warehouse node the line is held at' }) node!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() committedQuantity!: number;
  @ApiProperty() releasedQuantity!: number;
}

export class ReservedLineView {
  @ApiProperty() sku!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() node!: string;
}

export class ReservationCommitView {
  @ApiProperty() shipmentId!: string;
  @ApiProperty() node!: string;
  @ApiProperty() units!: number;
  @ApiProperty({ type: [ReservedLineView] }) lines!: ReservedLineView[];
  @ApiProperty() committedAt!: string;
}

export class ReservationView {
  @ApiProperty() reservationId!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty({ enum: RESERVATION_STATUSES }) status!: ReservationStatus;
  @ApiProperty() totalMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() requestedUnits!: number;
  @ApiProperty({ description: 'Units still held (neither committed nor released)' }) heldUnits!: number;
  @ApiProperty({ type: [String] }) nodes!: string[];
  @ApiProperty({ type: [ReservationLineView] }) lines!: ReservationLineView[];
  @ApiProperty({ type: [ReservationCommitView] }) commits!: ReservationCommitView[];
  @ApiProperty({ nullable: true, description: 'Why nothing was reserved (REJECTED only)' })
  rejection!: { reason: string; unavailable: Array<{ sku: string; requested: number; available: number }> } | null;
  @ApiProperty({ type: String, nullable: true }) releaseReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) releasedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
