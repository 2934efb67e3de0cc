import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from '@commerce/platform';
import type { FactEventType } from './order-status';

/** One fact heard from another service about an order (its event type, ids and time). */
@Entity('order_fact')
export class OrderFactEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: FactEventType;

  /** reservationId, paymentId or shipmentId; '' when the event names none. */
  @Column({ type: 'text', default: '' })
  ref!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'amount_minor', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  amountMinor!: number | null;

  @Column({ type: 'text', nullable: true })
  currency!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;
}
