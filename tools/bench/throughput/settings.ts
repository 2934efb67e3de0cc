/** The throughput bench's flags (npm run bench:throughput -- --help). */
import { parseArgs } from 'node:util';

export interface ThroughputSettings {
  /** Target rates, orders/s, in the order run. @defaultValue [20, 40, 80, 120, 160, 200] */
  steps: number[];
  /** Seconds each rate is held. @defaultValue 60 */
  stepSeconds: number;
  /** SKUs the orders rotate over (one warehouse node). @defaultValue 10 */
  skus: number;
  /** AUTO_DISPATCH_SECONDS of the shipment service. @defaultValue 1 */
  dispatchAfterSeconds: number;
  /** AUTO_DELIVER_SECONDS of the shipment service. @defaultValue 1 */
  deliverAfterSeconds: number;
  /** AUTO_SWEEP_INTERVAL_MS of the shipment service (a sweep moves at most 100 shipments). @defaultValue 200 */
  sweepIntervalMs: number;
  /** Longest wait, after a step's last order, for its orders to be delivered. @defaultValue 120 */
  drainSeconds: number;
  /** Orders placed (at 5/s, or the first step's rate if lower) before the first step, to warm the stack and the consumers' offsets. @defaultValue 20 */
  warmupOrders: number;
  /** Seconds of pgbench; 0 skips it. @defaultValue 15 */
  pgbenchSeconds: number;
  /** Seconds between consumer-lag samples during a step. @defaultValue 5 */
  lagEverySeconds: number;
  /** Where the JSON and SVG go (git-ignored). @defaultValue 'test-artifacts/bench' */
  outDir: string;
  /** Run every step, past the first one not sustained (the collapse, for the chart). @defaultValue false */
  allSteps: boolean;
  /** Keep the stack's databases and topics for a look afterwards. @defaultValue false */
  keep: boolean;
}

export const USAGE = `usage: npm run bench:throughput -- [--steps 20,40,80,120,160,200] [--step-seconds 60]
  [--skus 10] [--dispatch-after 1] [--deliver-after 1] [--sweep-ms 200] [--drain-seconds 120]
  [--warmup-orders 20] [--pgbench-seconds 15] [--lag-every 5] [--out test-artifacts/bench] [--all-steps] [--keep]
Environment: KAFKA_BROKERS, DATABASE_URL, REDIS_URL (whose processes' CPU it samples), LOG_LEVEL.`;

function positive(name: string, text: string, allowZero = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${text}"\n${USAGE}`);
  return n;
}

/** The settings of `argv`, or null when help was asked for. */
export function parseSettings(argv: string[]): ThroughputSettings | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '20,40,80,120,160,200' },
      'step-seconds': { type: 'string', default: '60' },
      skus: { type: 'string', default: '10' },
      'dispatch-after': { type: 'string', default: '1' },
      'deliver-after': { type: 'string', default: '1' },
      'sweep-ms': { type: 'string', default: '200' },
      'drain-seconds': { type: 'string', default: '120' },
      'warmup-orders': { type: 'string', default: '20' },
      'pgbench-seconds': { type: 'string', default: '15' },
      'lag-every': { type: 'string', default: '5' },
      out: { type: 'string', default: 'test-artifacts/bench' },
      'all-steps': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  return {
    steps: values.steps.split(',').map((s) => positive('steps', s.trim())),
    stepSeconds: positive('step-seconds', values['step-seconds']),
    skus: Math.round(positive('skus', values.skus)),
    dispatchAfterSeconds: positive('dispatch-after', values['dispatch-after']),
    deliverAfterSeconds: positive('deliver-after', values['deliver-after']),
    sweepIntervalMs: Math.round(positive('sweep-ms', values['sweep-ms'])),
    drainSeconds: positive('drain-seconds', values['drain-seconds']),
    warmupOrders: Math.round(positive('warmup-orders', values['warmup-orders'], true)),
    pgbenchSeconds: Math.round(positive('pgbench-seconds', values['pgbench-seconds'], true)),
    lagEverySeconds: positive('lag-every', values['lag-every']),
    outDir: values.out,
    allSteps: values['all-steps'],
    keep: values.keep,
  };
}
