import type { EventPayloads } from '@commerce/contracts';
import { type OrderView, type SourceService, unavailableAmong } from './order-view';

/** The repair commands of the contracts catalog (topic commerce.reconciliation.commands). */
export const REPAIR_COMMAND_TYPES = [
  'ReleaseReservationRequested',
  'VoidPaymentRequested',
  'RefundPaymentRequested',
  'CapturePaymentRequested',
  'ResendNotificationRequested',
  'RepublishEventsRequested',
] as const;
export type RepairCommandType = (typeof REPAIR_COMMAND_TYPES)[number];

/** A command to emit, without the `caseId` and `rule` every command carries (added when emitted). */
export type RepairCommand = {
  [T in RepairCommandType]: { type: T; payload: Omit<EventPayloads[T], 'caseId' | 'rule'> };
}[RepairCommandType];

export type Severity = 'critical' | 'major' | 'minor';

export type Repair =
  | {
      kind: 'auto';
      command: {
        /** The command types this rule may emit. */
        types: readonly RepairCommandType[];
        /** One sentence for the catalog. */
        description: string;
        /** The commands that repair this view (from the evidence at detection). */
        plan(view: OrderView): RepairCommand[];
      };
    }
  | { kind: 'manual'; description: string };

/**
 * What a rule says about one order. `since` is when the divergence became observable (the
 * milestone that should have been followed by another): the grace runs from there.
 */
export type Evaluation =
  | { holds: true }
  | { holds: false; since: Date; details: Record<string, unknown> }
  | { holds: 'unknown'; unavailable: SourceService[] };

export interface Rule {
  id: string;
  description: string;
  /** Eventual consistency is normal until this long after `since`. */
  graceMs: number;
  /** The environment variable overriding `graceMs`. */
  graceSetting: string;
  severity: Severity;
  repair: Repair;
  /** The services whose milestones the rule reads: if one did not answer, the outcome is unknown. */
  needs: readonly SourceService[];
  evaluate(view: OrderView, now: Date): Evaluation;
}

/** The name of the setting that overrides a rule's grace: `RULE_GRACE_MS_STUCK_AT_INVENTORY`. */
export function graceSettingOf(ruleId: string): string {
  return `RULE_GRACE_MS_${ruleId.toUpperCase().replace(/-/g, '_')}`;
}

/** How one rule came out for one order in a run. */
export type Outcome =
  | { outcome: 'holds' }
  | { outcome: 'violated'; since: Date; details: Record<string, unknown> }
  | { outcome: 'within-grace'; since: Date; dueAt: Date; details: Record<string, unknown> }
  | { outcome: 'unknown'; unavailable: SourceService[] };

export const OUTCOMES = ['holds', 'violated', 'within-grace', 'unknown'] as const;
export type OutcomeName = (typeof OUTCOMES)[number];

const HOLDS_OUTCOME: Outcome = Object.freeze({ outcome: 'holds' });

/**
 * Applies a rule to a view: unknown when a service it needs did not answer (never read as "no
 * milestones"), else its evaluation with the grace applied.
 */
export function judge(rule: Rule, view: OrderView, now: Date): Outcome {
  for (const service of rule.needs) {
    if (view.services[service] === 'unavailable') return { outcome: 'unknown', unavailable: unavailableAmong(view, rule.needs) };
  }
  const evaluation = rule.evaluate(view, now);
  if (evaluation.holds === true) return HOLDS_OUTCOME;
  if (evaluation.holds === 'unknown') return { outcome: 'unknown', unavailable: evaluation.unavailable };
  const dueAt = new Date(evaluation.since.getTime() + rule.graceMs);
  if (dueAt.getTime() > now.getTime()) return { outcome: 'within-grace', since: evaluation.since, dueAt, details: evaluation.details };
  return { outcome: 'violated', since: evaluation.since, details: evaluation.details };
}
