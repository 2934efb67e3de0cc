import { createLogger, type ExclusiveOutcome, type Logger } from '@commerce/platform';
import type { TransactionalQueryable } from '../source';
import { milestoneDocumentMetrics } from './metrics';
import type { MilestoneDocuments } from './milestone-documents';
import type { MilestoneDocumentRefresherOptions } from './settings';

const OVERLAP_MS = 5_000;
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Keeps the documents current behind the service's writes: every `refreshEveryMs` it re-derives
 * the orders whose per-order row changed since the last round (updated_at, minus an overlap for
 * transactions that committed late), and it sweeps every order at start-up and every
 * `sweepEveryMs` for documents missing or not current (orders seeded or restored in bulk, changes
 * the refresh missed). Correctness never depends on it: a range page derives live what is not current.
 * With replicas, `exclusive` lets one at a time do a round; the others skip it, and the first round
 * a replica does after taking over sweeps everything (what it did not see change).
 */
export class MilestoneDocumentRefresher {
  private readonly log: Logger;
  private running = false;
  /** Set on shutdown: a sweep stops between windows. */
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private changedSince: Date | null = null;
  private nextSweepAt = 0;

  constructor(
    private readonly db: TransactionalQueryable,
    readonly documents: MilestoneDocuments,
    private readonly options: MilestoneDocumentRefresherOptions,
    /** Runs a round unless another replica is doing one. @defaultValue every round runs */
    private readonly exclusive: <T>(round: () => Promise<T>) => Promise<ExclusiveOutcome<T>> = async (round) => ({ ran: true, result: await round() }),
  ) {
    this.log = createLogger(documents.source.service).child({ component: 'milestone-documents' });
  }

  onApplicationBootstrap(): void {
    if (this.options.refreshEveryMs <= 0) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops before the database goes away, after the batch in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const round = await this.exclusive(() => this.round());
        // Another replica did this round: what changed meanwhile is swept when this one takes over.
        if (!round.ran) this.nextSweepAt = 0;
      } catch (error) {
        // A document held by the service's own writes is the expected case under load (see refresh).
        const yielded = (error as { code?: string })?.code === LOCK_NOT_AVAILABLE;
        this.log[yielded ? 'debug' : 'warn']({ err: error }, 'milestone documents refresh failed; trying again next round');
      }
      await this.pause(this.options.refreshEveryMs);
    }
  }

  private async round(): Promise<void> {
    await this.refreshChanged();
    if (Date.now() >= this.nextSweepAt) {
      await this.sweep();
      this.nextSweepAt = this.options.sweepEveryMs > 0 ? Date.now() + this.options.sweepEveryMs : Number.POSITIVE_INFINITY;
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wake = null;
    });
  }

  /**
   * Re-derives the orders changed since the last round, once they have been quiet for `settleMs`:
   * an order in flight changes every few hundred milliseconds, and deriving it at each change is
   * work the next change throws away (a scan meanwhile derives it live).
   */
  async refreshChanged(): Promise<number> {
    const until = new Date(Date.now() - this.options.settleMs);
    let from = new Date((this.changedSince ?? until).getTime() - OVERLAP_MS);
    let written = 0;
    for (;;) {
      const changed = await this.documents.changedSince(this.db, from, until, this.options.batchSize);
      written += await this.documents.refresh(this.db, changed.orderIds);
      // A full batch: more changed; go on from the latest change read (re-reading its instant is harmless).
      if (changed.orderIds.length < this.options.batchSize || changed.latest === null || !(changed.latest > from)) break;
      from = changed.latest;
    }
    this.changedSince = until;
    milestoneDocumentMetrics.written.inc({ trigger: 'changed' }, written);
    return written;
  }

  /** Walks every order for documents missing or not current, and drops those of deleted orders. */
  async sweep(): Promise<{ scanned: number; written: number }> {
    const started = Date.now();
    let after: string | null = null;
    let scanned = 0;
    let written = 0;
    const window = this.options.batchSize * 4;
    do {
      const stale = await this.documents.stale(this.db, after, window);
      for (let i = 0; i < stale.orderIds.length; i += this.options.batchSize) {
        const refreshed = await this.documents.refresh(this.db, stale.orderIds.slice(i, i + this.options.batchSize));
        written += refreshed;
        milestoneDocumentMetrics.written.inc({ trigger: 'sweep' }, refreshed);
      }
      scanned += window;
      milestoneDocumentMetrics.sweepProgress.set(scanned);
      after = stale.scannedTo;
    } while (after !== null && !this.stopping);
    const deleted = await this.documents.deleteOrphans(this.db);
    milestoneDocumentMetrics.sweepProgress.set(0);
    milestoneDocumentMetrics.sweeps.inc();
    if (written > 0 || deleted > 0) this.log.info({ written, deleted, seconds: (Date.now() - started) / 1000 }, 'milestone documents swept');
    return { scanned, written };
  }
}
