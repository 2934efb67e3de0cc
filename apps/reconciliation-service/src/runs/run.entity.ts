import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { OutcomeName } from '../rules/rule';

export const RUN_KINDS = ['full', 'incremental', 'order'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_STATUSES = ['queued', 'running', 'completed', 'incomplete', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Per rule: how many orders came out which way. */
export type RuleCounts = Record<string, Record<OutcomeName, number>>;
/** What the run did: cases opened, re-detected, resolved, repairs scheduled, ... */
export type OutcomeCounts = Record<string, number>;

const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity('reconciliation_run')
export class RunEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  kind!: RunKind;

  /** How it ran: an incremental run with no watermark yet scans everything once. */
  @Column({ type: 'text' })
  mode!: RunKind;

  @Column({ type: 'text' })
  status!: RunStatus;

  /** api, schedule, repair-verification */
  @Column({ type: 'text' })
  trigger!: string;

  @Column({ name: 'requested_by', type: 'text', nullable: true })
  requestedBy!: string | null;

  @Column({ name: 'order_ids', type: 'text', array: true, nullable: true })
  orderIds!: string[] | null;

  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  checkpoint!: string | null;

  @Column({ name: 'orders_checked', type: 'bigint', transformer: bigintAsNumber })
  ordersChecked!: number;

  @Column({ name: 'rule_counts', type: 'jsonb' })
  ruleCounts!: RuleCounts;

  @Column({ name: 'outcome_counts', type: 'jsonb' })
  outcomeCounts!: OutcomeCounts;

  /** Service → why it did not answer. */
  @Column({ name: 'unavailable_services', type: 'jsonb' })
  unavailableServices!: Record<string, string>;

  /** Rules whose outcome was unknown for some orders because a service they need did not answer. */
  @Column({ name: 'incomplete_rules', type: 'text', array: true })
  incompleteRules!: string[];

  /** The `updatedSince` used per service (incremental runs). */
  @Column({ type: 'jsonb', nullable: true })
  watermarks!: Record<string, string> | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** A full scan: how many orderId ranges it was split into (null until split, and for other runs). */
  @Column({ name: 'ranges_total', type: 'integer', nullable: true })
  rangesTotal!: number | null;

  /** A full scan: how many ranges have finished and added their counts to the run. */
  @Column({ name: 'ranges_done', type: 'integer' })
  rangesDone!: number;
}
