import { lagFloor, lagStillGrowing, maxSustainableRate, percentile, summarize, unsustainedBecause } from './figures';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts before it ranks', () => {
    expect(summarize([30, 10, 20, 40])).toEqual({ n: 4, p50: 20, p95: 40, p99: 40, max: 40 });
  });
});

describe('lagStillGrowing', () => {
  const floor = lagFloor(20);

  it('is false while the lag stays under the floor', () => {
    expect(lagStillGrowing([{ atMs: 5000, lag: 3 }, { atMs: 10000, lag: floor - 1 }, { atMs: 20000, lag: floor }], floor)).toBe(false);
  });

  it('is true when the backlog rose by more than the floor through the second half', () => {
    const samples = [
      { atMs: 5000, lag: 16 },
      { atMs: 12000, lag: 76 },
      { atMs: 17000, lag: 86 },
      { atMs: 27000, lag: 350 },
      { atMs: 30000, lag: 347 },
    ];
    expect(lagStillGrowing(samples, floor)).toBe(true);
  });

  it('is false for a backlog that sits above the floor without growing', () => {
    const samples = [
      { atMs: 10000, lag: 200 },
      { atMs: 15000, lag: 190 },
      { atMs: 20000, lag: 210 },
    ];
    expect(lagStillGrowing(samples, floor)).toBe(false);
  });

  it('is false when the backlog fell back before the end', () => {
    const samples = [
      { atMs: 10000, lag: 900 },
      { atMs: 15000, lag: 200 },
      { atMs: 20000, lag: 150 },
    ];
    expect(lagStillGrowing(samples, floor)).toBe(false);
  });

  it('ignores the first half of the step', () => {
    const samples = [
      { atMs: 2000, lag: 0 },
      { atMs: 15000, lag: 400 },
      { atMs: 20000, lag: 410 },
    ];
    expect(lagStillGrowing(samples, floor)).toBe(false);
  });

  it('judges a single sample above the floor as growing (nothing says it shrinks)', () => {
    expect(lagStillGrowing([{ atMs: 20000, lag: floor + 1 }], floor)).toBe(true);
  });
});

describe('unsustainedBecause', () => {
  const healthy = { confirmedP99: 400, unconfirmed: 0, undelivered: 0, postFailures: 0, lagGrowing: false };

  it('finds nothing wrong with a healthy step', () => {
    expect(unsustainedBecause(healthy)).toEqual([]);
  });

  it('names each reason', () => {
    expect(unsustainedBecause({ confirmedP99: 1001, unconfirmed: 2, undelivered: 3, postFailures: 1, lagGrowing: true })).toEqual([
      'placed->CONFIRMED p99 over 1000 ms',
      '2 orders not confirmed',
      '3 orders not delivered',
      '1 POST /orders failed',
      'consumer lag still growing',
    ]);
  });

  it('refuses a step where nothing was confirmed', () => {
    expect(unsustainedBecause({ ...healthy, confirmedP99: Number.NaN })).toEqual(['no order confirmed']);
  });
});

describe('maxSustainableRate', () => {
  it('is the best rate before the first unsustained step', () => {
    const steps = [
      { achievedRate: 19.8, unsustained: [] },
      { achievedRate: 39.6, unsustained: [] },
      { achievedRate: 70, unsustained: ['consumer lag still growing'] },
      { achievedRate: 120, unsustained: [] },
    ];
    expect(maxSustainableRate(steps)).toBe(39.6);
  });

  it('is 0 when the first step failed', () => {
    expect(maxSustainableRate([{ achievedRate: 20, unsustained: ['no order confirmed'] }])).toBe(0);
  });
});
