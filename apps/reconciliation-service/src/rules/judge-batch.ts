import { inFullForm, type OrderView } from './order-view';
import { judge, type Outcome, type OutcomeName, OUTCOMES, type Rule } from './rule';

/** A rule that did not simply hold for an order (the view travels with violations, in the full form, for the evidence). */
export interface Finding {
  orderId: string;
  ruleId: string;
  result: Exclude<Outcome, { outcome: 'holds' }>;
  view?: OrderView;
}

/**
 * A batch judged: every orderId checked, only what did not hold, and the counts per rule and
 * outcome. Compact, so a scan thread can hand it to the thread that writes the cases.
 */
export interface JudgedBatch {
  now: Date;
  orderIds: string[];
  findings: Finding[];
  counts: Record<string, Record<OutcomeName, number>>;
}

export function judgeBatch(rules: readonly Rule[], views: readonly OrderView[], now: Date): JudgedBatch {
  const counts = Object.fromEntries(rules.map((rule) => [rule.id, Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<OutcomeName, number>]));
  const findings: Finding[] = [];
  const orderIds: string[] = [];
  for (const view of views) {
    orderIds.push(view.orderId);
    for (const rule of rules) {
      const result = judge(rule, view, now);
      counts[rule.id][result.outcome] += 1;
      if (result.outcome === 'holds') continue;
      findings.push({ orderId: view.orderId, ruleId: rule.id, result, ...(result.outcome === 'violated' ? { view: inFullForm(view) } : {}) });
    }
  }
  return { now, orderIds, findings, counts };
}

/**
 * Judged batches as one (the latest `now`, the orders in their order): a full scan judges small
 * batches, so the views alive at once stay few, and writes large ones, so transactions stay few.
 */
export function concatJudged(batches: readonly JudgedBatch[]): JudgedBatch {
  const [first, ...rest] = batches;
  if (!first) throw new Error('no judged batch to join');
  const counts = Object.fromEntries(Object.entries(first.counts).map(([ruleId, byOutcome]) => [ruleId, { ...byOutcome }]));
  for (const batch of rest) {
    for (const [ruleId, byOutcome] of Object.entries(batch.counts)) {
      const into = (counts[ruleId] ??= Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<OutcomeName, number>);
      for (const outcome of OUTCOMES) into[outcome] += byOutcome[outcome];
    }
  }
  return {
    now: batches[batches.length - 1].now,
    orderIds: batches.flatMap((batch) => batch.orderIds),
    findings: batches.flatMap((batch) => batch.findings),
    counts,
  };
}
