import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@commerce/platform';
import type { OrderStatus } from './order-status';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

@Entity('customer_order')
export class OrderEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'jsonb' })
  lines!: OrderLine[];

  @Column({ name: 'total_minor', type: 'bigint', transformer: bigintAsNumber })
  totalMinor!: number;

  /** Sum of the line quantities. */
  @Column({ type: 'integer' })
  units!: number;

  @Column({ name: 'payment_token', type: 'text' })
  paymentToken!: string;

  @Column({ name: 'shipping_address', type: 'jsonb' })
  shippingAddress!: ShippingAddress;

  @Column({ type: 'text' })
  status!: OrderStatus;

  /** The flow every event of this order carries. */
  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'idempotency_key', type: 'text', unique: true })
  idempotencyKey!: string;

  /** SHA-256 of the canonical request body the key was first used with. */
  @Column({ name: 'request_fingerprint', type: 'text' })
  requestFingerprint!: string;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;

  @Column({ name: 'cancellation_requested_at', type: 'timestamptz', nullable: true })
  cancellationRequestedAt!: Date | null;

  @Column({ name: 'cancellation_reason', type: 'text', nullable: true })
  cancellationReason!: string | null;

  /** When the order was first found CANCELLED (final from then on). */
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  /** When the order entered its current status (null for orders placed before it was kept). */
  @Column({ name: 'status_entered_at', type: 'timestamptz', nullable: true })
  statusEnteredAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
