import { metricsRegistry } from './metrics-registry';
import { observeStateTransition, timeInState } from './state-durations';

const at = (iso: string) => new Date(iso);

async function bucketCount(machine: string, le: string): Promise<number> {
  const text = await metricsRegistry.getSingleMetricAsString('process_state_duration_seconds');
  const line = text.split('\n').find((l) => l.startsWith('process_state_duration_seconds_bucket{') && l.includes(`le="${le}"`) && l.includes(`machine="${machine}"`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('timeInState', () => {
  it('is the seconds between entering the state and leaving it', () => {
    expect(timeInState({ machine: 'order', from: 'PLACED', to: 'CONFIRMED', enteredAt: at('2026-01-01T00:00:00Z'), leftAt: at('2026-01-01T00:00:01.250Z') })).toBe(1.25);
  });

  it('is null when the state did not change', () => {
    expect(timeInState({ machine: 'reservation', from: 'PARTIALLY_COMMITTED', to: 'PARTIALLY_COMMITTED', enteredAt: at('2026-01-01T00:00:00Z'), leftAt: at('2026-01-01T00:01:00Z') })).toBeNull();
  });

  it('is null when the entry time is not known', () => {
    expect(timeInState({ machine: 'payment', from: 'PENDING', to: 'AUTHORIZED', enteredAt: null, leftAt: at('2026-01-01T00:01:00Z') })).toBeNull();
  });

  it('is 0, never negative, when the clock went back', () => {
    expect(timeInState({ machine: 'shipment', from: 'CREATED', to: 'DISPATCHED', enteredAt: at('2026-01-01T00:00:02Z'), leftAt: at('2026-01-01T00:00:01Z') })).toBe(0);
  });
});

describe('observeStateTransition', () => {
  it('counts the transition in the bucket of its duration, labelled by machine, from and to', async () => {
    const machine = `spec-${Date.now()}`;
    observeStateTransition({ machine, from: 'CREATED', to: 'DISPATCHED', enteredAt: at('2026-01-01T00:00:00Z'), leftAt: at('2026-01-01T00:00:20Z') });
    expect(await bucketCount(machine, '10')).toBe(0);
    expect(await bucketCount(machine, '30')).toBe(1);
    const text = await metricsRegistry.metrics();
    expect(text).toContain(`process_state_duration_seconds_count{machine="${machine}",from="CREATED",to="DISPATCHED"} 1`);
  });

  it('observes nothing when the state did not change', async () => {
    const machine = `spec-same-${Date.now()}`;
    observeStateTransition({ machine, from: 'FAILED', to: 'FAILED', enteredAt: at('2026-01-01T00:00:00Z'), leftAt: at('2026-01-01T00:00:20Z') });
    expect(await metricsRegistry.metrics()).not.toContain(machine);
  });
});
