// What the dashboard knows about the reconciliation service's vocabulary.

export const CASE_STATUSES = ['OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION', 'RESOLVED', 'DISMISSED'];
export const OPEN_STATUSES = ['OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION'];
export const CLOSED_STATUSES = ['RESOLVED', 'DISMISSED'];
export const SERVICES = ['order', 'inventory', 'payment', 'shipment', 'notification'];
export const OUTCOMES = ['holds', 'violated', 'within-grace', 'unknown'];

const RUN_KINDS = { full: 'Full scan', incremental: 'Incremental', order: 'Order check' };

/** "Full scan", "Incremental", "Order check". */
export function runKind(kind) {
  return RUN_KINDS[kind] ?? kind ?? '—';
}

/** Which operator actions a case in `status` allows (mirrors the service's case lifecycle). */
export function allowedActions(kase) {
  const open = OPEN_STATUSES.includes(kase.status);
  return {
    retry: open && kase.repairKind === 'auto',
    resolve: open,
    dismiss: open,
    reopen: CLOSED_STATUSES.includes(kase.status),
  };
}

/** A list answer of the service: `{ items, nextCursor }`, or a bare array. */
export function itemsOf(answer) {
  if (Array.isArray(answer)) return answer;
  return answer?.items ?? answer?.runs ?? answer?.cases ?? answer?.rules ?? [];
}

export function ruleIdOf(kase) {
  return kase.ruleId ?? kase.rule;
}

/** Sum of one outcome over every rule of a run. */
export function totalOf(run, outcome) {
  return Object.values(perRuleOf(run)).reduce((sum, counts) => sum + (counts?.[outcome] ?? 0), 0);
}

export function runDurationMs(run) {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
  return end - Date.parse(run.startedAt);
}

export function unavailableOf(run) {
  const value = run.unavailableServices ?? {};
  return Array.isArray(value) ? Object.fromEntries(value.map((service) => [service, ''])) : value;
}

/** rule → { holds, violated, within-grace, unknown } of a run. */
export function perRuleOf(run) {
  return run.counts?.perRule ?? run.ruleCounts ?? {};
}

/** casesOpened, casesResolved, repairsScheduled, ... of a run. */
export function outcomesOf(run) {
  return run.counts?.outcomes ?? run.outcomeCounts ?? {};
}
