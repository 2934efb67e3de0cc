import { afterAttempt, backoffDelay } from './webhook-retry';

const policy = { backoffMs: 1000, maxBackoffMs: 60_000 };
const now = new Date('2026-01-01T00:00:00Z');

describe('backoffDelay', () => {
  it('doubles from backoffMs after each failed attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, policy))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never grows past maxBackoffMs, however many attempts', () => {
    expect(backoffDelay(7, policy)).toBe(60_000);
    expect(backoffDelay(500, policy)).toBe(60_000);
  });
});

describe('afterAttempt', () => {
  it('is DELIVERED on a 2xx', () => {
    expect(afterAttempt({ ok: true, statusCode: 204 }, 3, 3, now, policy)).toEqual({ status: 'DELIVERED' });
  });

  it('is PENDING again after the backoff while attempts remain', () => {
    expect(afterAttempt({ ok: false, statusCode: 500, error: 'HTTP 500' }, 2, 3, now, policy)).toEqual({ status: 'PENDING', nextAttemptAt: new Date('2026-01-01T00:00:02Z') });
  });

  it('is FAILED once the last attempt failed', () => {
    expect(afterAttempt({ ok: false, statusCode: null, error: 'ECONNREFUSED' }, 3, 3, now, policy)).toEqual({ status: 'FAILED' });
  });
});
