import { CASE_ACTIONS, type CaseAction, CASE_STATUSES, type CaseStatus, CaseTransitionError, isOpen, nextStatus, type RepairKind } from './case-lifecycle';

const kase = (status: CaseStatus, repairKind: RepairKind = 'auto') => ({ id: 'case-1', status, repairKind });

describe('the case lifecycle', () => {
  describe('when a safe compensation exists', () => {
    it('goes OPEN → AUTO_REPAIRING → RESOLVED', () => {
      expect(nextStatus(kase('OPEN'), 'startRepair')).toBe('AUTO_REPAIRING');
      expect(nextStatus(kase('AUTO_REPAIRING'), 'selfClose')).toBe('RESOLVED');
    });

    it('can retry the repair while repairing, or after it went to a person', () => {
      expect(nextStatus(kase('AUTO_REPAIRING'), 'startRepair')).toBe('AUTO_REPAIRING');
      expect(nextStatus(kase('NEEDS_ATTENTION'), 'startRepair')).toBe('AUTO_REPAIRING');
    });

    it('goes to NEEDS_ATTENTION when the repair does not converge', () => {
      expect(nextStatus(kase('AUTO_REPAIRING'), 'escalate')).toBe('NEEDS_ATTENTION');
    });
  });

  describe('when no compensation exists', () => {
    it('goes OPEN → NEEDS_ATTENTION → RESOLVED or DISMISSED', () => {
      expect(nextStatus(kase('OPEN', 'manual'), 'handToPerson')).toBe('NEEDS_ATTENTION');
      expect(nextStatus(kase('NEEDS_ATTENTION', 'manual'), 'resolve')).toBe('RESOLVED');
      expect(nextStatus(kase('NEEDS_ATTENTION', 'manual'), 'dismiss')).toBe('DISMISSED');
    });

    it('refuses an automatic repair with 409 problem details', () => {
      expect(() => nextStatus(kase('NEEDS_ATTENTION', 'manual'), 'startRepair')).toThrow(CaseTransitionError);
      expect(() => nextStatus(kase('NEEDS_ATTENTION', 'manual'), 'startRepair')).toThrow(/no automatic repair/);
    });
  });

  it('closes itself from any open status when the invariant holds again', () => {
    for (const status of ['OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION'] as const) expect(nextStatus(kase(status), 'selfClose')).toBe('RESOLVED');
  });

  it('reopens only closed cases', () => {
    expect(nextStatus(kase('RESOLVED'), 'reopen')).toBe('OPEN');
    expect(nextStatus(kase('DISMISSED'), 'reopen')).toBe('OPEN');
    expect(() => nextStatus(kase('NEEDS_ATTENTION'), 'reopen')).toThrow(/allowed from RESOLVED, DISMISSED/);
  });

  it('never leaves a closed case except by reopening it', () => {
    for (const status of ['RESOLVED', 'DISMISSED'] as const) {
      for (const action of Object.keys(CASE_ACTIONS) as CaseAction[]) {
        if (action === 'reopen') continue;
        expect(() => nextStatus(kase(status), action)).toThrow(CaseTransitionError);
      }
    }
  });

  it('only ever moves to a known status', () => {
    for (const action of Object.values(CASE_ACTIONS)) expect(CASE_STATUSES).toContain(action.to);
    expect(CASE_STATUSES.filter(isOpen)).toEqual(['OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION']);
  });
});
