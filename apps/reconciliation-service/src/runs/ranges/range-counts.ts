import type { RunTally } from '../run-tally';
import type { OutcomeCounts, RuleCounts } from '../run.entity';

/** What a run, or one range of a full scan, counted: the columns the run and run_range rows share. */
export interface ScanCounts {
  ordersChecked: number;
  ruleCounts: RuleCounts;
  outcomeCounts: OutcomeCounts;
  /** Service → why it did not answer (the first reason kept). */
  unavailableServices: Record<string, string>;
  incompleteRules: string[];
}

export const NO_COUNTS: ScanCounts = { ordersChecked: 0, ruleCounts: {}, outcomeCounts: {}, unavailableServices: {}, incompleteRules: [] };

export function countsOf(tally: RunTally): ScanCounts {
  return {
    ordersChecked: tally.ordersChecked,
    ruleCounts: tally.ruleCounts,
    outcomeCounts: tally.outcomeCounts,
    unavailableServices: tally.unavailable,
    incompleteRules: tally.incompleteRules,
  };
}

/**
 * A run's counts with one more range's added: orders, every rule's outcomes and every case outcome
 * summed; services that did not answer and incomplete rules are the union (a run is incomplete if
 * any of its ranges was). Pure: the caller adds each range once (RangeStore.finish guards that).
 */
export function addCounts(total: ScanCounts, range: ScanCounts): ScanCounts {
  const ruleCounts: RuleCounts = {};
  for (const ruleId of new Set([...Object.keys(total.ruleCounts), ...Object.keys(range.ruleCounts)])) {
    ruleCounts[ruleId] = sum(total.ruleCounts[ruleId] ?? {}, range.ruleCounts[ruleId] ?? {}) as RuleCounts[string];
  }
  return {
    ordersChecked: total.ordersChecked + range.ordersChecked,
    ruleCounts,
    outcomeCounts: sum(total.outcomeCounts, range.outcomeCounts),
    unavailableServices: { ...range.unavailableServices, ...total.unavailableServices },
    incompleteRules: [...new Set([...total.incompleteRules, ...range.incompleteRules])],
  };
}

function sum(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [key, n] of Object.entries(b)) out[key] = (out[key] ?? 0) + n;
  return out;
}
