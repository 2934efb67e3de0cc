import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createLogger, metricsRegistry, sharedRead } from '@commerce/platform';

/** Repair jobs by what they did (emitted, holds-again, already-emitted...); counted as they finish. */
export const repairOutcomes = new Counter({
  name: 'reconciliation_repairs_total',
  help: 'Repair jobs finished, by outcome (emitted, holds-again, nothing-to-emit, already-emitted, case-closed, ...)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Webhook delivery attempts by what came of them; counted as they end. */
export const webhookDeliveries = new Counter({
  name: 'reconciliation_webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome: delivered (a 2xx), retrying (failed, tried again after a backoff), failed (gave up)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

interface Snapshot {
  open: Array<{ rule_id: string; status: string; n: number; oldest_seconds: number }>;
  totals: Array<{ rule_id: string; status: string; n: number }>;
  lastRuns: Array<{ kind: string; status: string; finished: number; seconds: number | null; unavailable: Record<string, string> }>;
  lastSuccess: Array<{ kind: string; finished: number }>;
}

const OPEN = `('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION')`;
let source: (() => Promise<Snapshot>) | null = null;
const log = createLogger('reconciliation-metrics');
const snapshot = sharedRead(async (): Promise<Snapshot | null> => {
  try {
    return source ? await source() : null;
  } catch (error) {
    log.debug({ err: error }, 'reconciliation metrics not collected');
    return null;
  }
});

/** A metric filled from the snapshot at scrape time. */
function fromSnapshot<M extends Gauge | Counter>(metric: M, fill: (metric: M, data: Snapshot) => void): M {
  const scrape = async () => {
    const data = await snapshot();
    metric.reset();
    if (data) fill(metric, data);
  };
  Object.assign(metric, { collect: scrape });
  metricsRegistry.registerMetric(metric);
  return metric;
}

fromSnapshot(
  new Gauge({ name: 'reconciliation_open_cases', help: 'Cases not closed, by rule and status', labelNames: ['rule', 'status'] as const, registers: [] }),
  (gauge, data) => data.open.forEach((r) => gauge.set({ rule: r.rule_id, status: r.status }, r.n)),
);
fromSnapshot(
  new Gauge({
    name: 'reconciliation_open_case_oldest_seconds',
    help: 'How long the longest-waiting open case of a rule has been unchanged in its status',
    labelNames: ['rule', 'status'] as const,
    registers: [],
  }),
  (gauge, data) => data.open.forEach((r) => gauge.set({ rule: r.rule_id, status: r.status }, r.oldest_seconds)),
);
// Counted from the cases table: they survive restarts and never go down (cases are not deleted).
fromSnapshot(
  new Counter({ name: 'reconciliation_cases_opened_total', help: 'Cases ever opened, by rule', labelNames: ['rule'] as const, registers: [] }),
  (counter, data) => data.totals.forEach((r) => counter.inc({ rule: r.rule_id }, r.n)),
);
fromSnapshot(
  new Counter({ name: 'reconciliation_cases_closed_total', help: 'Cases closed, by rule and how (RESOLVED, DISMISSED)', labelNames: ['rule', 'status'] as const, registers: [] }),
  (counter, data) => data.totals.filter((r) => !['OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION'].includes(r.status)).forEach((r) => counter.inc({ rule: r.rule_id, status: r.status }, r.n)),
);
fromSnapshot(
  new Gauge({
    name: 'reconciliation_last_successful_run_timestamp_seconds',
    help: 'When the last completed run of each kind finished (Unix time)',
    labelNames: ['kind'] as const,
    registers: [],
  }),
  (gauge, data) => data.lastSuccess.forEach((r) => gauge.set({ kind: r.kind }, r.finished)),
);
fromSnapshot(
  new Gauge({
    name: 'reconciliation_last_run_duration_seconds',
    help: 'How long the last finished run of each kind took, with how it ended (completed, incomplete, failed)',
    labelNames: ['kind', 'status'] as const,
    registers: [],
  }),
  (gauge, data) => data.lastRuns.forEach((r) => gauge.set({ kind: r.kind, status: r.status }, r.seconds ?? 0)),
);
fromSnapshot(
  new Gauge({
    name: 'reconciliation_last_run_unavailable_services',
    help: 'Services that did not answer the last finished run of each kind (1 per service that did not)',
    labelNames: ['kind', 'service'] as const,
    registers: [],
  }),
  (gauge, data) => data.lastRuns.forEach((r) => Object.keys(r.unavailable ?? {}).forEach((service) => gauge.set({ kind: r.kind, service }, 1))),
);

/** Reads the cases and runs for /metrics while the service runs. */
@Injectable()
export class ReconciliationMetrics implements OnModuleInit, OnApplicationShutdown {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    source = () => this.read();
  }

  onApplicationShutdown(): void {
    source = null;
  }

  private async read(): Promise<Snapshot> {
    const q = this.dataSource;
    const [open, totals, lastRuns, lastSuccess] = await Promise.all([
      q.query(
        `SELECT rule_id, status, count(*)::int AS n, extract(epoch FROM now() - min(updated_at))::float AS oldest_seconds
           FROM repair_case WHERE status IN ${OPEN} GROUP BY 1, 2`,
      ),
      q.query(`SELECT rule_id, status, count(*)::int AS n FROM repair_case GROUP BY 1, 2`),
      q.query(
        `SELECT DISTINCT ON (kind) kind, status, extract(epoch FROM finished_at)::float AS finished,
                extract(epoch FROM finished_at - started_at)::float AS seconds, unavailable_services AS unavailable
           FROM reconciliation_run WHERE finished_at IS NOT NULL ORDER BY kind, finished_at DESC`,
      ),
      q.query(
        `SELECT kind, extract(epoch FROM max(finished_at))::float AS finished
           FROM reconciliation_run WHERE status = 'completed' GROUP BY kind`,
      ),
    ]);
    return { open, totals, lastRuns, lastSuccess };
  }
}
