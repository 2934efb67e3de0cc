import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@commerce/platform';
import type { PricedLine, ReservedLine } from './shipment-plan';

/** Where OrderPlaced says the order goes; every shipment of the order carries a copy. */
export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

/**
 * What shipment-service knows about one order: the three facts it needs (OrderPlaced,
 * InventoryReserved, PaymentAuthorized), whether shipments were created, and whether the
 * order was cancelled. Its row lock serialises everything done for the order.
 */
@Entity('order_facts')
export class OrderFacts {
  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId!: string;

  /** The order flow's correlationId, reused for events caused by warehouse actions. */
  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ name: 'order_lines', type: 'jsonb', nullable: true })
  orderLines!: PricedLine[] | null;

  @Column({ name: 'shipping_address', type: 'jsonb', nullable: true })
  shippingAddress!: ShippingAddress | null;

  @Column({ name: 'order_placed_at', type: 'timestamptz', nullable: true })
  orderPlacedAt!: Date | null;

  @Column({ name: 'reservation_id', type: 'text', nullable: true })
  reservationId!: string | null;

  @Column({ name: 'reserved_lines', type: 'jsonb', nullable: true })
  reservedLines!: ReservedLine[] | null;

  @Column({ name: 'inventory_reserved_at', type: 'timestamptz', nullable: true })
  inventoryReservedAt!: Date | null;

  @Column({ name: 'payment_id', type: 'text', nullable: true })
  paymentId!: string | null;

  @Column({ name: 'authorized_minor', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  authorizedMinor!: number | null;

  @Column({ name: 'payment_authorized_at', type: 'timestamptz', nullable: true })
  paymentAuthorizedAt!: Date | null;

  @Column({ name: 'shipments_created_at', type: 'timestamptz', nullable: true })
  shipmentsCreatedAt!: Date | null;

  @Column({ name: 'cancellation_requested_at', type: 'timestamptz', nullable: true })
  cancellationRequestedAt!: Date | null;

  @Column({ name: 'cancellation_reason', type: 'text', nullable: true })
  cancellationReason!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Touched by every state change of the order or its shipments (drives /milestones?updatedSince). */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
