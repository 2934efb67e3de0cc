import { Inject, Injectable } from '@nestjs/common';
import { createLogger } from '@commerce/platform';
import type { ServiceConfig } from '../../config';
import type { SourceService } from '../../rules/order-view';
import type { Rule } from '../../rules/rule';
import { RECON_CONFIG, RULE_CATALOG } from '../../settings.module';
import { MilestoneSources } from '../../sources/milestone-sources';
import { runPartitions, ScanStopped } from '../full-scan/parallel-full-scan';
import type { PartitionSpec } from '../full-scan/scan-partition';
import { Reconciler } from '../reconciler';
import type { RunControl } from '../run-executor';
import { RunTally } from '../run-tally';
import type { RunStatus } from '../run.entity';
import { RangeStore, type RunRange } from './range-store';

/**
 * Scans one orderId range of a full scan (a job of the `ranges` queue, on whichever instance took
 * it), in a worker thread with FULL_SCAN_THREADS: from after its checkpoint, carrying on from
 * what its committed batches counted; then finishes it (the last range closes the run).
 */
@Injectable()
export class RangeScanner {
  private readonly log = createLogger('runs');

  constructor(
    @Inject(RECON_CONFIG) private readonly config: ServiceConfig,
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
    private readonly ranges: RangeStore,
    private readonly sources: MilestoneSources,
    private readonly reconciler: Reconciler,
  ) {}

  async scan(taken: RunRange, control: RunControl): Promise<{ ordersChecked: number; added: boolean; closed: RunStatus | null }> {
    const { runId, index } = taken;
    const tally = new RunTally(this.rules, taken);
    const spec: PartitionSpec = {
      index,
      range: { after: taken.checkpoint ?? taken.range.after, upTo: taken.range.upTo },
      clients: this.sources.options,
      batchSize: this.config.RUN_BATCH_SIZE,
      graceSettings: Object.fromEntries(this.rules.map((rule) => [rule.graceSetting, rule.graceMs])),
    };
    try {
      await runPartitions([spec], this.config.FULL_SCAN_THREADS, {
        batch: async (_index, last, batch) => {
          await this.reconciler.apply(batch, { runId, actor: control.actor, tally, persist: (manager) => this.ranges.saveProgress(manager, runId, index, tally, last) });
          await control.progress({ ordersChecked: tally.ordersChecked, checkpoint: last });
        },
        finished: () => Promise.resolve(),
        unavailable: (service, reason) => this.unavailable(taken, tally, service, reason),
        retrying: (service, attempt, reason) => this.log.warn({ runId, range: index, source: service, attempt, reason }, 'GET /milestones failed; retrying'),
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
    const finished = await this.ranges.finish(runId, index, tally);
    if (finished.closed) this.log.info({ runId, range: index, status: finished.closed }, 'last range finished; run closed');
    return { ordersChecked: tally.ordersChecked, ...finished };
  }

  private unavailable(taken: RunRange, tally: RunTally, service: SourceService, reason: string): void {
    if (!(service in tally.unavailable)) {
      this.log.warn({ runId: taken.runId, range: taken.index, source: service, reason }, `${service}-service did not answer; the run is incomplete for the rules needing it`);
    }
    tally.serviceUnavailable(service, reason);
  }
}
