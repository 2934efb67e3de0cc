import { OUTCOMES, type OutcomeName, type Rule } from '../rules/rule';
import type { SourceService } from '../rules/order-view';
import type { OutcomeCounts, RuleCounts } from './run.entity';

/** What a run does to cases, counted. */
export const CASE_OUTCOMES = ['casesOpened', 'casesRedetected', 'casesResolved', 'repairsScheduled', 'casesEscalated', 'suppressedByDismissal'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/**
 * The counts of one run, kept in memory and written with each batch (so a resumed run carries on
 * from what its committed batches counted).
 */
export class RunTally {
  ordersChecked = 0;
  readonly ruleCounts: RuleCounts;
  readonly outcomeCounts: OutcomeCounts;
  /** Service → why it did not answer (first reason kept). */
  readonly unavailable: Record<string, string>;
  private readonly incomplete = new Set<string>();

  constructor(
    private readonly rules: readonly Rule[],
    saved?: { ordersChecked: number; ruleCounts: RuleCounts; outcomeCounts: OutcomeCounts; unavailableServices: Record<string, string>; incompleteRules: string[] },
  ) {
    const zero = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<OutcomeName, number>;
    this.ruleCounts = Object.fromEntries(rules.map((r) => [r.id, { ...zero(), ...(saved?.ruleCounts[r.id] ?? {}) }]));
    this.outcomeCounts = Object.fromEntries(CASE_OUTCOMES.map((o) => [o, saved?.outcomeCounts[o] ?? 0]));
    this.unavailable = { ...(saved?.unavailableServices ?? {}) };
    this.ordersChecked = saved?.ordersChecked ?? 0;
    for (const rule of saved?.incompleteRules ?? []) this.incomplete.add(rule);
  }

  count(ruleId: string, outcome: OutcomeName): void {
    const counts = this.ruleCounts[ruleId];
    counts[outcome] += 1;
    if (outcome === 'unknown') this.incomplete.add(ruleId);
  }

  /** Adds a batch's counts per rule and outcome. */
  add(counts: Record<string, Record<OutcomeName, number>>): void {
    for (const [ruleId, byOutcome] of Object.entries(counts)) {
      const mine = this.ruleCounts[ruleId];
      if (!mine) continue;
      for (const outcome of OUTCOMES) mine[outcome] += byOutcome[outcome] ?? 0;
      if ((byOutcome.unknown ?? 0) > 0) this.incomplete.add(ruleId);
    }
  }

  did(outcome: CaseOutcome, n = 1): void {
    this.outcomeCounts[outcome] = (this.outcomeCounts[outcome] ?? 0) + n;
  }

  serviceUnavailable(service: SourceService, reason: string): void {
    this.unavailable[service] ??= reason;
    for (const rule of this.rules) if (rule.needs.includes(service)) this.incomplete.add(rule.id);
  }

  get incompleteRules(): string[] {
    return this.rules.map((r) => r.id).filter((id) => this.incomplete.has(id));
  }

  get complete(): boolean {
    return Object.keys(this.unavailable).length === 0 && this.incomplete.size === 0;
  }
}
