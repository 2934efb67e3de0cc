import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createLogger } from './logger';
import { metricsRegistry, sharedRead } from './metrics';

/**
 * One of a service's state machines as a table: what the choreography's "instance counts and time
 * in each state" are read from, at scrape time.
 */
export interface StateMachineTable {
  /** The label: `order`, `reservation`, `payment`, `shipment`. */
  machine: string;
  table: string;
  /** @defaultValue 'status' */
  stateColumn?: string;
  /** When the instance began (the SLA counts from here), e.g. `placed_at`. @defaultValue 'created_at' */
  startedColumn?: string;
  /** When the row last changed: the instance has been in its state at least since then. @defaultValue 'updated_at' */
  changedColumn?: string;
  /** States an instance never leaves: counted, never in breach. */
  finalStates: readonly string[];
}

interface StateRow {
  state: string;
  instances: number;
  breaching: number;
  oldest_seconds: number | null;
}

interface Source {
  service: string;
  read(): Promise<Array<{ machine: string; final: readonly string[]; rows: StateRow[] }>>;
}

const sources = new Set<Source>();
const log = createLogger('process-metrics');

type Snapshot = Array<{ service: string; machine: string; final: readonly string[]; row: StateRow }>;

/** Every source's rows, read once per scrape for the three gauges. */
const snapshot = sharedRead(async (): Promise<Snapshot> => {
  const all = await Promise.all(
    [...sources].map(async (source) => {
      try {
        return (await source.read()).flatMap(({ machine, final, rows }) => rows.map((row) => ({ service: source.service, machine, final, row })));
      } catch (error) {
        log.debug({ err: error, service: source.service }, 'process metrics not collected');
        return [];
      }
    }),
  );
  return all.flat();
});

function stateGauge(name: string, help: string, value: (row: StateRow) => number | null, finalToo: boolean): Gauge<'service' | 'machine' | 'state'> {
  return new Gauge({
    name,
    help,
    labelNames: ['service', 'machine', 'state'] as const,
    registers: [metricsRegistry],
    async collect() {
      const rows = await snapshot();
      this.reset();
      for (const { service, machine, final, row } of rows) {
        if (!finalToo && final.includes(row.state)) continue;
        this.set({ service, machine, state: row.state }, value(row) ?? 0);
      }
    },
  });
}

stateGauge('process_instances', 'Instances of each state machine now in each state (orders, reservations, payments, shipments)', (row) => row.instances, true);
stateGauge('process_sla_breaches', 'Instances older than PROCESS_SLA_SECONDS still in a non-final state, by machine and state', (row) => row.breaching, false);
stateGauge(
  'process_oldest_in_state_seconds',
  'How long the longest-waiting instance of a non-final state has been unchanged, by machine and state',
  (row) => row.oldest_seconds,
  false,
);

const identifier = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
};

/** Reports the service's state machines on /metrics while the app runs. */
@Injectable()
export class ProcessMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly source: Source;

  constructor(dataSource: DataSource, service: string, machines: readonly StateMachineTable[], slaSeconds: number) {
    const queries = machines.map((m) => ({
      machine: m.machine,
      final: m.finalStates,
      sql: `SELECT ${identifier(m.stateColumn ?? 'status')} AS state, count(*)::int AS instances,
                   count(*) FILTER (WHERE ${identifier(m.startedColumn ?? 'created_at')} < now() - $1 * interval '1 second')::int AS breaching,
                   extract(epoch FROM now() - min(${identifier(m.changedColumn ?? 'updated_at')}))::float AS oldest_seconds
              FROM ${identifier(m.table)} GROUP BY 1`,
    }));
    this.source = {
      service,
      read: () => Promise.all(queries.map(async (q) => ({ machine: q.machine, final: q.final, rows: (await dataSource.query(q.sql, [slaSeconds])) as StateRow[] }))),
    };
  }

  onModuleInit(): void {
    sources.add(this.source);
  }

  onApplicationShutdown(): void {
    sources.delete(this.source);
  }
}
