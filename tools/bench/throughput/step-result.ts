import type { LagSample, LatencySummary } from './figures';

/** One step of the run, as printed and written to the JSON. */
export interface StepResult {
  targetRate: number;
  /** Orders the order service accepted / the seconds they were sent over. */
  achievedRate: number;
  orders: number;
  postFailures: number;
  /** placed -> CONFIRMED, ms. */
  confirmed: LatencySummary;
  /** placed -> DELIVERED less the warehouse's configured waits, ms. */
  delivered: LatencySummary;
  /** placed -> the order service's placed_at (the request's wait to be taken), ms. */
  accepted: LatencySummary;
  unconfirmed: number;
  undelivered: number;
  /** Total consumer lag sampled through the step (the last sample is at its end). */
  lagSamples: LagSample[];
  /** Lag per consumer group at the end of the step. */
  lagAtEnd: Record<string, number>;
  lagGrowing: boolean;
  /** Seconds from the step's last order to its orders all delivered (or the wait given up). */
  drainSeconds: number;
  /** CPU-ms per group over the step and its drain: each service, kafka, postgres, redis, bench, machine. */
  cpuMs: Record<string, number>;
  /** The same divided by the step's orders. */
  cpuMsPerOrder: Record<string, number>;
  /** CPU-ms the hypervisor gave to other guests meanwhile (machine-wide). */
  machineStealMs: number;
  postgresBackends: number;
  /** Why the step was not sustained; empty when it was. */
  unsustained: string[];
}
