import { ConflictError } from '@commerce/platform';

/**
 * The life of a repair case, as data and one pure function:
 *
 *   OPEN → AUTO_REPAIRING → RESOLVED                 (a safe compensation exists)
 *   OPEN → NEEDS_ATTENTION → RESOLVED | DISMISSED    (a person decides)
 *   AUTO_REPAIRING → NEEDS_ATTENTION                 (the repair did not converge)
 *   any open status → RESOLVED                       (a later check finds the invariant holds)
 *   RESOLVED | DISMISSED → OPEN                      (an operator reopens it)
 */

export const CASE_STATUSES = ['OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION', 'RESOLVED', 'DISMISSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** At most one case per (orderId, rule) is in one of these (a unique partial index holds it). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION'];
export const CLOSED_STATUSES: readonly CaseStatus[] = ['RESOLVED', 'DISMISSED'];

export type RepairKind = 'auto' | 'manual';

export const CASE_ACTIONS = {
  /** The repair command was emitted (first time, a retry, or an operator's retry). */
  startRepair: { from: ['OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION'], to: 'AUTO_REPAIRING', autoOnly: true },
  /** No safe compensation exists for the rule: a person decides. */
  handToPerson: { from: ['OPEN'], to: 'NEEDS_ATTENTION', autoOnly: false },
  /** The automatic repair did not converge. */
  escalate: { from: ['OPEN', 'AUTO_REPAIRING'], to: 'NEEDS_ATTENTION', autoOnly: false },
  /** A later check found the invariant holds again. */
  selfClose: { from: OPEN_STATUSES, to: 'RESOLVED', autoOnly: false },
  resolve: { from: OPEN_STATUSES, to: 'RESOLVED', autoOnly: false },
  dismiss: { from: OPEN_STATUSES, to: 'DISMISSED', autoOnly: false },
  reopen: { from: CLOSED_STATUSES, to: 'OPEN', autoOnly: false },
} as const satisfies Record<string, { from: readonly CaseStatus[]; to: CaseStatus; autoOnly: boolean }>;

export type CaseAction = keyof typeof CASE_ACTIONS;

export class CaseTransitionError extends ConflictError {
  constructor(caseId: string, action: CaseAction, status: CaseStatus, why: string) {
    super('case-transition', 'The case cannot do that now', `case ${caseId} is ${status}: cannot ${action} (${why})`, { caseId, caseStatus: status, action });
  }
}

/** The status after `action`, or a CaseTransitionError (409) saying why not. */
export function nextStatus(kase: { id: string; status: CaseStatus; repairKind: RepairKind }, action: CaseAction): CaseStatus {
  const rule = CASE_ACTIONS[action];
  if (rule.autoOnly && kase.repairKind !== 'auto') {
    throw new CaseTransitionError(kase.id, action, kase.status, 'its rule has no automatic repair');
  }
  if (!(rule.from as readonly CaseStatus[]).includes(kase.status)) {
    throw new CaseTransitionError(kase.id, action, kase.status, `allowed from ${rule.from.join(', ')}`);
  }
  return rule.to;
}

export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
