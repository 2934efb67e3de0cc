import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ParsedOrderMilestones } from '@commerce/contracts';
import { createLogger } from '@commerce/platform';
import { CaseIndex } from '../cases/case-index';
import type { ServiceConfig } from '../config';
import { SOURCE_SERVICES, type SourceService } from '../rules/order-view';
import type { Rule } from '../rules/rule';
import { RECON_CONFIG, RULE_CATALOG } from '../settings.module';
import { ServiceUnavailableError } from '../sources/milestone-client';
import { MilestoneSources } from '../sources/milestone-sources';
import { runPartitions, ScanStopped } from './full-scan/parallel-full-scan';
import { keyspacePartitions } from './full-scan/partitions';
import type { PartitionSpec } from './full-scan/scan-partition';
import { Reconciler } from './reconciler';
import { RunStore } from './run-store';
import { RunTally } from './run-tally';
import type { RunEntity, RunStatus } from './run.entity';

/** What the job running a run lets it do. */
export interface RunControl {
  /** Who acts on cases: `job:<queue>/<jobId>`. */
  actor: string;
  progress(progress: { ordersChecked: number; checkpoint?: string | null; phase?: string }): Promise<void>;
  /** Throws when the worker is shutting down or the job was cancelled (the run resumes elsewhere). */
  checkpoint(): void;
}

/**
 * Runs a run: a full scan (merge-joins of the five services' orderId-ordered streams over
 * keyspace ranges, resumable from per-range checkpoints), an incremental scan (orders changed
 * since the watermarks, with open cases and due grace deadlines), or a check of given orders.
 * Memory stays bounded by the batches and pages in flight, except for the incremental scan's set
 * of orderIds already checked (bounded by the orders changed).
 */
@Injectable()
export class RunExecutor {
  private readonly log = createLogger('runs');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECON_CONFIG) private readonly config: ServiceConfig,
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
    private readonly runs: RunStore,
    private readonly sources: MilestoneSources,
    private readonly reconciler: Reconciler,
    private readonly cases: CaseIndex,
  ) {}

  async execute(run: RunEntity, control: RunControl): Promise<RunStatus> {
    if (run.kind === 'full') return this.fullScan(run, control);
    if (run.kind === 'order') return this.checkOrders(run, run.orderIds ?? [], control);
    const watermarks = await this.runs.watermarks();
    const missing = SOURCE_SERVICES.filter((service) => !watermarks.has(service));
    if (missing.length > 0) {
      // Nothing to be incremental from yet: check everything once, then start the watermarks.
      this.log.info({ runId: run.id, missing }, 'no watermark yet for some services; this incremental run scans everything');
      await this.runs.setMode(run.id, 'full', null);
      // From the first attempt's start: a resumed scan read its committed ranges before this attempt.
      const startedAt = run.startedAt ?? new Date();
      const status = await this.fullScan(run, control);
      if (status === 'completed') await this.runs.advanceWatermarks(SOURCE_SERVICES, startedAt, run.id);
      return status;
    }
    return this.incrementalScan(run, watermarks, control);
  }

  private async fullScan(run: RunEntity, control: RunControl): Promise<RunStatus> {
    const ranges = keyspacePartitions(this.config.FULL_SCAN_PARTITIONS);
    // A retried run carries on after the last batch each range committed, with what they counted.
    const saved = parseCheckpoint(run.checkpoint, ranges.length);
    const tally = saved ? new RunTally(this.rules, run) : new RunTally(this.rules);
    const progress: ScanCheckpoint = saved ?? { partitions: ranges.length, after: ranges.map((r) => r.after), done: ranges.map(() => false) };
    const graceSettings = Object.fromEntries(this.rules.map((rule) => [rule.graceSetting, rule.graceMs]));
    const specs: PartitionSpec[] = ranges
      .map((range, index) => ({
        index,
        range: { after: progress.after[index], upTo: range.upTo },
        clients: this.sources.options,
        batchSize: this.config.RUN_BATCH_SIZE,
        graceSettings,
      }))
      .filter((spec) => !progress.done[spec.index]);
    try {
      await runPartitions(specs, this.config.FULL_SCAN_THREADS, {
        batch: async (index, last, batch) => {
          progress.after[index] = last;
          const checkpoint = JSON.stringify(progress);
          await this.reconciler.apply(batch, { runId: run.id, actor: control.actor, tally, persist: (manager) => this.runs.saveProgress(manager, run.id, tally, checkpoint) });
          await control.progress({ ordersChecked: tally.ordersChecked, checkpoint: last });
        },
        finished: async (index) => {
          progress.done[index] = true;
          await this.runs.saveCheckpoint(run.id, JSON.stringify(progress));
        },
        unavailable: (service, reason) => this.unavailable(run, tally, service, new Error(reason)),
        retrying: (service, attempt, reason) => this.log.warn({ runId: run.id, source: service, attempt, reason }, 'GET /milestones failed; retrying'),
        shouldStop: () => {
          try {
            control.checkpoint();
            return false;
          } catch {
            return true; // the worker is stopping: runPartitions stops, control.checkpoint() below says why
          }
        },
      });
    } catch (error) {
      if (error instanceof ScanStopped) control.checkpoint();
      throw error;
    }
    return this.runs.finish(run.id, tally);
  }

  private async incrementalScan(run: RunEntity, watermarks: Map<SourceService, Date>, control: RunControl): Promise<RunStatus> {
    // Not resumable (the changed set is re-read): start the counts afresh on every attempt.
    const tally = new RunTally(this.rules);
    const startedAt = new Date();
    const since = Object.fromEntries(
      SOURCE_SERVICES.map((service) => [service, new Date((watermarks.get(service) as Date).getTime() - this.config.WATERMARK_OVERLAP_MS)]),
    ) as Record<SourceService, Date>;
    await this.runs.setMode(run.id, 'incremental', Object.fromEntries(Object.entries(since).map(([s, d]) => [s, d.toISOString()])));

    const seen = new Set<string>();
    const pending: string[] = [];
    // The records the changed-orders pages brought, by order, kept while the order waits to be
    // checked: its batch asks each service only for what was not read yet (those pages are derived
    // live, and asking again by orderId derived every changed order twice).
    const read = new Map<string, Partial<Record<SourceService, ParsedOrderMilestones>>>();
    const check = async (all: boolean) => {
      while (pending.length >= this.config.RUN_BATCH_SIZE || (all && pending.length > 0)) {
        control.checkpoint();
        const batch = pending.splice(0, this.config.RUN_BATCH_SIZE);
        const alreadyRead = new Map(batch.map((orderId) => [orderId, read.get(orderId) ?? {}] as const));
        for (const orderId of batch) read.delete(orderId);
        await this.checkBatch(run, batch, tally, control, alreadyRead);
      }
    };
    const add = async (orderIds: string[], records?: { service: SourceService; items: ParsedOrderMilestones[] }) => {
      for (const orderId of orderIds) {
        if (seen.has(orderId)) continue;
        seen.add(orderId);
        pending.push(orderId);
        read.set(orderId, {});
      }
      // An order already checked was read from every service then: its later record is not kept.
      if (records) {
        for (const item of records.items) {
          const byService = read.get(item.orderId);
          if (byService) byService[records.service] = item;
        }
      }
      await check(false);
    };

    // The five services are asked at once (a run of a few changed orders is mostly waiting on
    // them); their pages are added one at a time, so batches are checked one after another.
    let adding: Promise<void> = Promise.resolve();
    const addInTurn = (service: SourceService, items: ParsedOrderMilestones[]) => (adding = adding.then(() => add(items.map((item) => item.orderId), { service, items })));
    await Promise.all(
      SOURCE_SERVICES.map(async (service) => {
        try {
          for await (const page of this.sources.clients[service].changedSince(since[service])) await addInTurn(service, page);
        } catch (error) {
          if (!(error instanceof ServiceUnavailableError)) throw error;
          this.unavailable(run, tally, service, error);
        }
      }),
    );
    await control.progress({ ordersChecked: tally.ordersChecked, phase: 'open cases and due deadlines' });
    for await (const orderIds of this.cases.openCaseOrderIds(this.dataSource.manager, 1000)) await add(orderIds);
    for await (const orderIds of this.cases.dueOrderIds(this.dataSource.manager, startedAt, 1000)) await add(orderIds);
    await check(true);

    const status = await this.runs.finish(run.id, tally);
    // Only a run in which every service answered moves the watermarks: otherwise the next run
    // reads the same window again (unknown outcomes are never skipped).
    if (status === 'completed') await this.runs.advanceWatermarks(SOURCE_SERVICES, startedAt, run.id);
    return status;
  }

  private async checkOrders(run: RunEntity, orderIds: string[], control: RunControl): Promise<RunStatus> {
    const tally = new RunTally(this.rules);
    for (let i = 0; i < orderIds.length; i += this.config.RUN_BATCH_SIZE) {
      control.checkpoint();
      await this.checkBatch(run, orderIds.slice(i, i + this.config.RUN_BATCH_SIZE), tally, control);
    }
    return this.runs.finish(run.id, tally);
  }

  private async checkBatch(
    run: RunEntity,
    orderIds: string[],
    tally: RunTally,
    control: RunControl,
    alreadyRead?: ReadonlyMap<string, Partial<Record<SourceService, ParsedOrderMilestones>>>,
  ): Promise<void> {
    const views = await this.sources.viewsOf(orderIds, (service, error) => this.unavailable(run, tally, service, error), alreadyRead);
    await this.reconciler.reconcile(views, {
      runId: run.id,
      actor: control.actor,
      tally,
      persist: (manager) => this.runs.saveProgress(manager, run.id, tally, null),
    });
    await control.progress({ ordersChecked: tally.ordersChecked });
  }

  private unavailable(run: RunEntity, tally: RunTally, service: SourceService, error: Error): void {
    if (!(service in tally.unavailable)) this.log.warn({ runId: run.id, source: service, err: error }, `${service}-service did not answer; the run is incomplete for the rules needing it`);
    tally.serviceUnavailable(service, error.message);
  }
}

/** Where a full scan got to in each orderId range (run.checkpoint, JSON). */
interface ScanCheckpoint {
  partitions: number;
  after: Array<string | null>;
  done: boolean[];
}

function parseCheckpoint(checkpoint: string | null, partitions: number): ScanCheckpoint | null {
  if (!checkpoint) return null;
  const parsed = JSON.parse(checkpoint) as ScanCheckpoint;
  // Resumable only with the same split of the keyspace; otherwise the scan starts over.
  return parsed.partitions === partitions ? parsed : null;
}
