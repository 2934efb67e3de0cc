import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrderView } from '../rules/order-view';
import type { Severity } from '../rules/rule';
import type { CaseStatus, RepairKind } from './case-lifecycle';

/** One divergence of one order against one rule, from detection to resolution. */
@Entity('repair_case')
export class RepairCaseEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId!: string;

  @Column({ name: 'rule_id', type: 'text' })
  ruleId!: string;

  @Column({ type: 'text' })
  severity!: Severity;

  @Column({ name: 'repair_kind', type: 'text' })
  repairKind!: RepairKind;

  @Column({ type: 'text' })
  status!: CaseStatus;

  /** What the rule found (amounts, missing kinds, uncaptured shipments, ...). */
  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;

  /** Every service's milestones for the order at the latest detection. */
  @Column({ type: 'jsonb' })
  evidence!: OrderView;

  /** When the divergence became observable (the grace ran from here). */
  @Column({ name: 'diverged_since', type: 'timestamptz' })
  divergedSince!: Date;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  /** The run (or job) that opened it. */
  @Column({ name: 'opened_by', type: 'text' })
  openedBy!: string;

  @Column({ name: 'last_detected_at', type: 'timestamptz' })
  lastDetectedAt!: Date;

  @Column({ name: 'detection_count', type: 'integer' })
  detectionCount!: number;

  @Column({ name: 'repair_attempts', type: 'integer' })
  repairAttempts!: number;

  @Column({ name: 'last_repair_at', type: 'timestamptz', nullable: true })
  lastRepairAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** The note or reason given when it was closed. */
  @Column({ type: 'text', nullable: true })
  resolution!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
