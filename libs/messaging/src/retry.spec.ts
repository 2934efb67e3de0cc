import { backoffDelay } from './retry';

describe('backoffDelay', () => {
  const policy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1000 };

  it('doubles the ceiling per attempt and stays between half and all of it', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0)).toBe(200);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(399);
  });

  it('never exceeds the maximum delay', () => {
    expect(backoffDelay(policy, 30, () => 0.999)).toBeLessThanOrEqual(1000);
    expect(backoffDelay(policy, 30, () => 0)).toBe(500);
  });
});
