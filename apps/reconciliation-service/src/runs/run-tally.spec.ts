import { RULES } from '../rules/catalog';
import { RunTally } from './run-tally';

describe('RunTally', () => {
  it('counts outcomes per rule and what the run did', () => {
    const tally = new RunTally(RULES);
    tally.count('stuck-at-inventory', 'violated');
    tally.count('stuck-at-inventory', 'holds');
    tally.did('casesOpened');
    expect(tally.ruleCounts['stuck-at-inventory']).toEqual({ holds: 1, violated: 1, 'within-grace': 0, unknown: 0 });
    expect(tally.outcomeCounts['casesOpened']).toBe(1);
    expect(tally.complete).toBe(true);
  });

  it('is incomplete for exactly the rules needing a service that did not answer', () => {
    const tally = new RunTally(RULES);
    tally.serviceUnavailable('notification', 'connection refused');
    expect(tally.incompleteRules).toEqual(['missing-notification', 'orphan-record']);
    expect(tally.unavailable).toEqual({ notification: 'connection refused' });
    expect(tally.complete).toBe(false);
  });

  it('carries on from saved counts (a resumed full scan)', () => {
    const first = new RunTally(RULES);
    first.ordersChecked = 40;
    first.count('amount-mismatch', 'violated');
    const resumed = new RunTally(RULES, {
      ordersChecked: first.ordersChecked,
      ruleCounts: first.ruleCounts,
      outcomeCounts: first.outcomeCounts,
      unavailableServices: {},
      incompleteRules: [],
    });
    resumed.count('amount-mismatch', 'violated');
    expect(resumed.ordersChecked).toBe(40);
    expect(resumed.ruleCounts['amount-mismatch'].violated).toBe(2);
  });
});
