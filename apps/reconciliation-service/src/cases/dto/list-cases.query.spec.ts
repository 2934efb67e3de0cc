import { AGE_PATTERN, olderThanInstant } from './list-cases.query';

describe('olderThan', () => {
  const now = new Date('2025-01-02T00:00:00.000Z');

  it('reads durations back from now', () => {
    expect(olderThanInstant('90s', now).toISOString()).toBe('2025-01-01T23:58:30.000Z');
    expect(olderThanInstant('2h', now).toISOString()).toBe('2025-01-01T22:00:00.000Z');
    expect(olderThanInstant('1d', now).toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('takes ISO instants as they are, and refuses anything else', () => {
    expect(olderThanInstant('2024-12-31T12:00:00Z', now).toISOString()).toBe('2024-12-31T12:00:00.000Z');
    expect(AGE_PATTERN.test('2024-12-31T12:00:00+01:00')).toBe(true);
    expect(AGE_PATTERN.test('yesterday')).toBe(false);
    expect(AGE_PATTERN.test('2h30m')).toBe(false);
  });
});
