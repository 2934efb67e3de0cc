import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@commerce/platform';
import type { ReservationStatus } from './reservation-rules';

export interface Rejection {
  reason: string;
  unavailable: Array<{ sku: string; requested: number; available: number }>;
}

/** The inventory decision for one order: what is held where, and what became of it. */
@Entity({ name: 'reservation' })
export class Reservation {
  @PrimaryColumn({ name: 'reservation_id', type: 'uuid' })
  reservationId!: string;

  @Column({ name: 'order_id', type: 'text', unique: true })
  orderId!: string;

  @Column({ type: 'text' })
  status!: ReservationStatus;

  /** From OrderPlaced, carried on InventoryReserved so payment can authorize it. */
  @Column({ name: 'total_minor', type: 'bigint', transformer: bigintAsNumber })
  totalMinor!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'requested_units', type: 'integer' })
  requestedUnits!: number;

  @Column({ type: 'jsonb', nullable: true })
  rejection!: Rejection | null;

  @Column({ name: 'release_reason', type: 'text', nullable: true })
  releaseReason!: string | null;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When it entered its current status (null for rows older than the column). */
  @Column({ name: 'status_entered_at', type: 'timestamptz', nullable: true })
  statusEnteredAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany(() => ReservationLine, (line) => line.reservation)
  lines?: ReservationLine[];

  @OneToMany(() => ReservationCommit, (commit) => commit.reservation)
  commits?: ReservationCommit[];
}

/** One order line held whole at one node. */
@Entity({ name: 'reservation_line' })
export class ReservationLine {
  @PrimaryColumn({ name: 'reservation_id', type: 'uuid' })
  reservationId!: string;

  @PrimaryColumn({ name: 'line_no', type: 'integer' })
  lineNo!: number;

  @Column({ type: 'text' })
  sku!: string;

  @Column({ type: 'text' })
  node!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'committed_quantity', type: 'integer' })
  committedQuantity!: number;

  @Column({ name: 'released_quantity', type: 'integer' })
  releasedQuantity!: number;

  @ManyToOne(() => Reservation, (reservation) => reservation.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reservation_id' })
  reservation?: Reservation;
}

/** A dispatched shipment whose units were committed (recorded so a redelivery does nothing). */
@Entity({ name: 'reservation_commit' })
export class ReservationCommit {
  @PrimaryColumn({ name: 'reservation_id', type: 'uuid' })
  reservationId!: string;

  @PrimaryColumn({ name: 'shipment_id', type: 'text' })
  shipmentId!: string;

  @Column({ type: 'text' })
  node!: string;

  @Column({ type: 'jsonb' })
  lines!: Array<{ sku: string; quantity: number; node: string }>;

  @Column({ type: 'integer' })
  units!: number;

  @Column({ name: 'committed_at', type: 'timestamptz' })
  committedAt!: Date;

  @ManyToOne(() => Reservation, (reservation) => reservation.commits, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reservation_id' })
  reservation?: Reservation;
}
