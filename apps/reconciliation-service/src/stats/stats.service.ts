import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JobQueues } from '../jobs/job-queues';
import { RunStore } from '../runs/run-store';
import { runView } from '../runs/runs.service';

export const AGE_BUCKETS = ['<1h', '1h-24h', '1d-7d', '>7d'] as const;

/** The dashboard's figures, each one query. */
@Injectable()
export class StatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: RunStore,
    private readonly queues: JobQueues,
  ) {}

  async stats() {
    const [byStatusAndRule, byAge, perHour, lastRuns, queues] = await Promise.all([
      this.dataSource.query(
        `SELECT status, rule_id, count(*)::int AS n FROM repair_case
          WHERE status IN ('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION') GROUP BY status, rule_id`,
      ) as Promise<Array<{ status: string; rule_id: string; n: number }>>,
      this.dataSource.query(
        `SELECT CASE WHEN opened_at > now() - interval '1 hour' THEN '<1h'
                     WHEN opened_at > now() - interval '1 day' THEN '1h-24h'
                     WHEN opened_at > now() - interval '7 days' THEN '1d-7d'
                     ELSE '>7d' END AS bucket, count(*)::int AS n
           FROM repair_case WHERE status IN ('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION') GROUP BY 1`,
      ) as Promise<Array<{ bucket: string; n: number }>>,
      // A mismatch = a divergence found (a case opened) in that hour.
      this.dataSource.query(
        `SELECT rule_id, to_char(date_trunc('hour', opened_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"') AS hour, count(*)::int AS n
           FROM repair_case WHERE opened_at > now() - interval '24 hours' GROUP BY 1, 2 ORDER BY 2, 1`,
      ) as Promise<Array<{ rule_id: string; hour: string; n: number }>>,
      this.runs.latest(5),
      this.queues.counts(),
    ]);
    const sum = (rows: Array<{ n: number }>) => rows.reduce((total, row) => total + row.n, 0);
    const group = <K extends string>(rows: Array<{ n: number } & Record<K, string>>, key: K) =>
      rows.reduce<Record<string, number>>((acc, row) => ({ ...acc, [row[key]]: (acc[row[key]] ?? 0) + row.n }), {});
    return {
      openCases: {
        total: sum(byStatusAndRule),
        byStatus: group(byStatusAndRule, 'status'),
        byRule: group(byStatusAndRule, 'rule_id'),
        byAge: Object.fromEntries(AGE_BUCKETS.map((bucket) => [bucket, byAge.find((row) => row.bucket === bucket)?.n ?? 0])),
      },
      mismatchesPerHour: perHour.map((row) => ({ hour: row.hour, rule: row.rule_id, count: row.n })),
      lastRuns: lastRuns.map(runView),
      queues,
    };
  }
}
