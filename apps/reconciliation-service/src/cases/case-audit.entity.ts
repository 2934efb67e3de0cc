import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CaseStatus } from './case-lifecycle';

/** One state change of a case: who (operator or job), when, from what to what, and why. */
@Entity('case_audit')
export class CaseAuditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: CaseStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: CaseStatus;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;
}
