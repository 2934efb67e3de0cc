import { Histogram } from 'prom-client';
import { metricsRegistry } from './metrics-registry';

/** One state machine instance leaving a state, as the code writing the transition knows it. */
export interface StateTransition {
  /** The label: `order`, `reservation`, `payment`, `shipment`, `notification`. */
  machine: string;
  from: string;
  to: string;
  /** When the instance entered `from`; null when it is not known (a row older than the column). */
  enteredAt: Date | null;
  /** When it left `from`: the timestamp the transition's own write stored (the database's clock, as `enteredAt`). */
  leftAt: Date;
}

/**
 * From milliseconds (the automatic steps of the choreography) to a week (a shipment waiting for
 * the warehouse), so both the flow's speed and the stuck instances show in one histogram.
 */
export const STATE_DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600, 14400, 86400, 604800];

const stateDurations = new Histogram({
  name: 'process_state_duration_seconds',
  help: 'Time an instance spent in a state before it left it, by state machine and transition, observed where the transition is written',
  labelNames: ['machine', 'from', 'to'] as const,
  buckets: STATE_DURATION_BUCKETS,
  registers: [metricsRegistry],
});

/**
 * Seconds spent in `from`, or null when there is nothing to observe: no change of state, or an
 * unknown entry time. A clock that went back gives 0, never a negative duration.
 */
export function timeInState(transition: StateTransition): number | null {
  if (transition.from === transition.to || transition.enteredAt === null) return null;
  return Math.max(0, (transition.leftAt.getTime() - transition.enteredAt.getTime()) / 1000);
}

/**
 * Observes one transition on `process_state_duration_seconds`. Called by the code that writes
 * the change, with values that write already has in hand: it costs no query. A transaction
 * rolled back after the call and retried is observed again (rare: transient failures only).
 */
export function observeStateTransition(transition: StateTransition): void {
  const seconds = timeInState(transition);
  if (seconds !== null) stateDurations.observe({ machine: transition.machine, from: transition.from, to: transition.to }, seconds);
}
