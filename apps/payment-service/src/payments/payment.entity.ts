import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@commerce/platform';
import type { PaymentStatus } from './payment-rules';

/** The one payment of an order: what it waits for, what was authorized, captured, voided, refunded. */
@Entity({ name: 'payment' })
export class Payment {
  @PrimaryColumn({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Column({ name: 'order_id', type: 'text', unique: true })
  orderId!: string;

  @Column({ type: 'text' })
  status!: PaymentStatus;

  @Column({ name: 'payment_token', type: 'text', nullable: true })
  paymentToken!: string | null;

  @Column({ name: 'order_total_minor', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  orderTotalMinor!: number | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ name: 'order_placed_at', type: 'timestamptz', nullable: true })
  orderPlacedAt!: Date | null;

  @Column({ name: 'reservation_id', type: 'text', nullable: true })
  reservationId!: string | null;

  @Column({ name: 'amount_to_authorize_minor', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  amountToAuthorizeMinor!: number | null;

  @Column({ name: 'reservation_received_at', type: 'timestamptz', nullable: true })
  reservationReceivedAt!: Date | null;

  @Column({ name: 'cancellation_requested_at', type: 'timestamptz', nullable: true })
  cancellationRequestedAt!: Date | null;

  @Column({ name: 'cancellation_reason', type: 'text', nullable: true })
  cancellationReason!: string | null;

  @Column({ name: 'gateway_reference', type: 'text', nullable: true })
  gatewayReference!: string | null;

  @Column({ name: 'authorized_minor', type: 'bigint', transformer: bigintAsNumber })
  authorizedMinor!: number;

  @Column({ name: 'captured_minor', type: 'bigint', transformer: bigintAsNumber })
  capturedMinor!: number;

  @Column({ name: 'refunded_minor', type: 'bigint', transformer: bigintAsNumber })
  refundedMinor!: number;

  @Column({ name: 'voided_minor', type: 'bigint', transformer: bigintAsNumber })
  voidedMinor!: number;

  @Column({ name: 'authorized_at', type: 'timestamptz', nullable: true })
  authorizedAt!: Date | null;

  @Column({ name: 'declined_at', type: 'timestamptz', nullable: true })
  declinedAt!: Date | null;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason!: string | null;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When it entered its current status (null for rows older than the column). */
  @Column({ name: 'status_entered_at', type: 'timestamptz', nullable: true })
  statusEnteredAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany(() => PaymentCapture, (capture) => capture.payment)
  captures?: PaymentCapture[];

  @OneToMany(() => PaymentRefund, (refund) => refund.payment)
  refunds?: PaymentRefund[];
}

/** The capture of one dispatched shipment (at most one per shipment). */
@Entity({ name: 'payment_capture' })
export class PaymentCapture {
  @PrimaryColumn({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @PrimaryColumn({ name: 'shipment_id', type: 'text' })
  shipmentId!: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintAsNumber })
  amountMinor!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'captured_at', type: 'timestamptz' })
  capturedAt!: Date;

  @ManyToOne(() => Payment, (payment) => payment.captures, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'payment_id' })
  payment?: Payment;
}

@Entity({ name: 'payment_refund' })
export class PaymentRefund {
  @PrimaryColumn({ name: 'refund_id', type: 'uuid' })
  refundId!: string;

  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintAsNumber })
  amountMinor!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'request_key', type: 'text', nullable: true })
  requestKey!: string | null;

  @Column({ name: 'refunded_at', type: 'timestamptz' })
  refundedAt!: Date;

  @ManyToOne(() => Payment, (payment) => payment.refunds, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'payment_id' })
  payment?: Payment;
}

/** A ShipmentDispatched as heard: the value a capture (or a capture repair) takes. */
@Entity({ name: 'dispatched_shipment' })
export class DispatchedShipment {
  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId!: string;

  @PrimaryColumn({ name: 'shipment_id', type: 'text' })
  shipmentId!: string;

  @Column({ type: 'text' })
  node!: string;

  @Column({ name: 'value_minor', type: 'bigint', transformer: bigintAsNumber })
  valueMinor!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'dispatched_at', type: 'timestamptz' })
  dispatchedAt!: Date;
}
