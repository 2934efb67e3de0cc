import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@commerce/platform';
import type { ShippingAddress } from './order-facts.entity';
import type { PricedLine } from './shipment-plan';
import type { ShipmentStatus } from './shipment-rules';

/** The lines of one order reserved at one warehouse node, on their way to the customer. */
@Entity('shipment')
export class Shipment {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId!: string;

  @Column({ type: 'text' })
  node!: string;

  @Column({ type: 'text' })
  status!: ShipmentStatus;

  @Column({ type: 'jsonb' })
  lines!: PricedLine[];

  @Column({ name: 'value_minor', type: 'bigint', transformer: bigintAsNumber })
  valueMinor!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'shipping_address', type: 'jsonb' })
  shippingAddress!: ShippingAddress;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'cancellation_reason', type: 'text', nullable: true })
  cancellationReason!: string | null;

  @Column({ name: 'cancellation_refused_at', type: 'timestamptz', nullable: true })
  cancellationRefusedAt!: Date | null;

  @Column({ name: 'cancellation_refused_reason', type: 'text', nullable: true })
  cancellationRefusedReason!: string | null;

  /** The last event emitted about this shipment: the causationId of the next one. */
  @Column({ name: 'last_event_id', type: 'uuid', nullable: true })
  lastEventId!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
