/**
 * The throughput bench's arithmetic: percentiles, consumer-lag trend and the verdict on a step.
 * Pure functions over plain numbers (specs beside them).
 */

/** Nearest-rank percentile of values sorted ascending; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** p50/p95/p99/max of unsorted samples (milliseconds). */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
  };
}

/** Total consumer lag (messages, every group of the stack) at a moment of the step. */
export interface LagSample {
  /** Milliseconds since the step began. */
  atMs: number;
  lag: number;
}

/**
 * Lag a healthy stack may show at any instant: a fifth of a second of its orders, each of which
 * is consumed some twenty-five times across the five groups. Below it, a rise is noise.
 */
export const lagFloor = (ratePerSecond: number): number => Math.max(25, Math.round(ratePerSecond * 5));

/**
 * Whether the consumers were still falling behind when the step ended: the last sample above the
 * floor, and more than the floor above the lowest sample of the step's second half before it (a
 * backlog that grew while the rate held; one that merely sits or wobbles does not count).
 */
export function lagStillGrowing(samples: readonly LagSample[], floor: number): boolean {
  if (samples.length === 0) return false;
  const last = samples[samples.length - 1];
  if (last.lag <= floor) return false;
  const earlier = samples.slice(0, -1).filter((s) => s.atMs >= last.atMs / 2);
  // Nothing to compare with: a backlog above the floor with no sign of shrinking counts as growing.
  if (earlier.length === 0) return true;
  return last.lag - Math.min(...earlier.map((s) => s.lag)) > floor;
}

export interface StepOutcome {
  /** placed -> CONFIRMED p99 (ms); NaN when nothing was confirmed. */
  confirmedP99: number;
  /** Orders of the step not CONFIRMED when the bench stopped waiting. */
  unconfirmed: number;
  /** Orders of the step not DELIVERED when the bench stopped waiting. */
  undelivered: number;
  postFailures: number;
  lagGrowing: boolean;
}

/** The limit on placed -> CONFIRMED p99 a sustained rate must keep. */
export const CONFIRMED_P99_LIMIT_MS = 1000;

/** Why a step could not be sustained; empty when it could. */
export function unsustainedBecause(step: StepOutcome): string[] {
  const reasons: string[] = [];
  if (!(step.confirmedP99 <= CONFIRMED_P99_LIMIT_MS)) {
    reasons.push(Number.isNaN(step.confirmedP99) ? 'no order confirmed' : `placed->CONFIRMED p99 over ${CONFIRMED_P99_LIMIT_MS} ms`);
  }
  if (step.unconfirmed > 0) reasons.push(`${step.unconfirmed} orders not confirmed`);
  if (step.undelivered > 0) reasons.push(`${step.undelivered} orders not delivered`);
  if (step.postFailures > 0) reasons.push(`${step.postFailures} POST /orders failed`);
  if (step.lagGrowing) reasons.push('consumer lag still growing');
  return reasons;
}

/** The highest achieved rate among the steps before the first unsustained one; 0 if the first failed. */
export function maxSustainableRate(steps: readonly { achievedRate: number; unsustained: readonly string[] }[]): number {
  let best = 0;
  for (const step of steps) {
    if (step.unsustained.length > 0) break;
    best = Math.max(best, step.achievedRate);
  }
  return best;
}
