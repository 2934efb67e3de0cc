import { RULES } from '../../rules/catalog';
import { RunTally } from '../run-tally';
import { addCounts, countsOf, NO_COUNTS, type ScanCounts } from './range-counts';
import { keyspacePartitions } from '../full-scan/partitions';

const range = (orders: number, violated: number, extra: Partial<ScanCounts> = {}): ScanCounts => {
  const tally = new RunTally(RULES);
  tally.ordersChecked = orders;
  for (let i = 0; i < orders; i++) tally.count('amount-mismatch', i < violated ? 'violated' : 'holds');
  tally.did('casesOpened', violated);
  return { ...countsOf(tally), ...extra };
};

describe('addCounts', () => {
  it('sums orders, every rule outcome and case outcome of the ranges into the run', () => {
    const total = [range(10, 1), range(20, 0), range(5, 3)].reduce(addCounts, NO_COUNTS);
    expect(total.ordersChecked).toBe(35);
    expect(total.ruleCounts['amount-mismatch']).toEqual({ holds: 31, violated: 4, 'within-grace': 0, unknown: 0 });
    expect(total.ruleCounts['stuck-at-inventory']).toEqual({ holds: 0, violated: 0, 'within-grace': 0, unknown: 0 });
    expect(total.outcomeCounts).toMatchObject({ casesOpened: 4, casesResolved: 0 });
  });

  it('gives the same run counts whatever order the ranges finish in', () => {
    const ranges = [range(10, 1), range(20, 2), range(7, 0), range(3, 3)];
    const forward = ranges.reduce(addCounts, NO_COUNTS);
    const backward = [...ranges].reverse().reduce(addCounts, NO_COUNTS);
    expect(backward).toEqual(forward);
  });

  it('equals one tally that counted every order (what a single-instance scan writes)', () => {
    const whole = new RunTally(RULES);
    whole.ordersChecked = 30;
    for (let i = 0; i < 30; i++) whole.count('amount-mismatch', i % 10 === 0 ? 'violated' : 'holds');
    whole.did('casesOpened', 3);
    expect(addCounts(addCounts(NO_COUNTS, range(10, 1)), addCounts(range(10, 1), range(10, 1)))).toEqual(countsOf(whole));
  });

  it('keeps every service that did not answer in any range, and the union of incomplete rules', () => {
    const a = range(1, 0, { unavailableServices: { notification: 'timeout' }, incompleteRules: ['missing-notification'] });
    const b = range(1, 0, { unavailableServices: { notification: 'refused', shipment: 'refused' }, incompleteRules: ['orphan-record', 'missing-notification'] });
    const total = addCounts(addCounts(NO_COUNTS, a), b);
    expect(total.unavailableServices).toEqual({ notification: 'timeout', shipment: 'refused' });
    expect(total.incompleteRules).toEqual(['missing-notification', 'orphan-record']);
    expect(new RunTally(RULES, total).complete).toBe(false);
  });

  it('does not change the counts it is given', () => {
    const total = range(2, 1);
    const before = JSON.stringify(total);
    addCounts(total, range(3, 1));
    expect(JSON.stringify(total)).toBe(before);
  });
});

describe('the ranges of a full scan across instances', () => {
  it('are the keyspace split in FULL_SCAN_RANGES contiguous ranges, the first from the start and the last to the end', () => {
    const ranges = keyspacePartitions(16);
    expect(ranges[0].after).toBeNull();
    expect(ranges[15].upTo).toBeNull();
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].after).toBe(ranges[i - 1].upTo);
  });
});
