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
import { JobQueues } from '../jobs/job-queues';
import { keyspacePartitions } from './full-scan/partitions';
import { RangeStore } from './ranges/range-store';
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
 * Runs a run: a full scan (split into orderId ranges, each a job of its own: ranges/), an incremental scan (orders changed
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
    private readonly ranges: RangeStore,
    private readonly queues: JobQueues,
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
      // The range that closes the run starts the watermarks (RangeStore.finish), from the run's first start.
      return this.fullScan(run, control);
    }
    return this.incrementalScan(run, watermarks, control);
  }

  /**
   * Splits the keyspace into FULL_SCAN_RANGES ranges and queues a job per range (ranges/): any
   * instance's worker takes them, and the last range to finish closes the run. The run stays
   * `running` meanwhile; a retried split keeps its ranges and re-queues those not done.
   */
  private async fullScan(run: RunEntity, control: RunControl): Promise<RunStatus> {
    const pending = await this.ranges.split(run.id, keyspacePartitions(this.config.FULL_SCAN_RANGES));
    await this.queues.enqueueRanges(run.id, pending);
    await control.progress({ ordersChecked: 0, phase: `split into ranges (${pending.length} to scan)` });
    return 'running';
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
