import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { createLogger } from '@commerce/platform';
import { CaseIndex, caseKey, splitKey, type GraceDeadline, type OpenCase } from '../cases/case-index';
import { CaseStore, type Detection } from '../cases/case-store';
import type { ServiceConfig } from '../config';
import { JobQueues } from '../jobs/job-queues';
import type { RepairJobData } from '../jobs/queues';
import type { OrderView } from '../rules/order-view';
import { type JudgedBatch, judgeBatch } from '../rules/judge-batch';
import type { Rule } from '../rules/rule';
import { RECON_CONFIG, RULE_CATALOG } from '../settings.module';
import type { RunTally } from './run-tally';

export interface BatchContext {
  runId: string;
  /** Who acts on the cases: the job (`job:runs/run-…`). */
  actor: string;
  tally: RunTally;
  /** Written with the batch, in its transaction (run counts, full-scan checkpoint). */
  persist(manager: EntityManager): Promise<void>;
}


/** Why a case of this rule goes to a person. */
function whyAPerson(rule: Rule): string {
  return rule.repair.kind === 'manual' ? rule.repair.description : 'No automatic repair applies.';
}

/** The actor of a case closing itself. */
export const RECONCILIATION_ACTOR = 'reconciliation';

/**
 * Applies the rules to a batch of views and writes what follows in one transaction: open a case
 * per new divergence (upserted: one open case per order and rule), update re-detected ones,
 * close cases whose invariant holds again, hand manual rules to a person, escalate repairs that
 * did not converge, and remember grace deadlines. Repair jobs are enqueued after the commit
 * (a crash in between leaves the case OPEN, and its next detection enqueues the repair again).
 */
@Injectable()
export class Reconciler {
  private readonly log = createLogger('reconciler');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
    @Inject(RECON_CONFIG) private readonly config: ServiceConfig,
    private readonly cases: CaseStore,
    private readonly index: CaseIndex,
    private readonly queues: JobQueues,
  ) {
    this.byId = new Map(rules.map((rule) => [rule.id, rule]));
  }

  private readonly byId: Map<string, Rule>;

  reconcile(views: OrderView[], context: BatchContext): Promise<void> {
    return this.apply(this.evaluate(views), context);
  }

  /** Applies the rules (CPU only: a scan does it for the next batch while the last one is written). */
  evaluate(views: OrderView[]): JudgedBatch {
    return judgeBatch(this.rules, views, new Date());
  }

  /** Writes what a judged batch means for the cases, in one transaction with `context.persist`. */
  async apply(batch: JudgedBatch, context: BatchContext): Promise<void> {
    const { now, orderIds, findings } = batch;
    const repairs: RepairJobData[] = [];
    context.tally.ordersChecked += orderIds.length;
    context.tally.add(batch.counts);

    await this.dataSource.transaction(async (manager) => {
      const known = await this.index.knownFor(manager, orderIds);
      const found = new Map(findings.map((f) => [caseKey(f.orderId, f.ruleId), f]));
      const graceUpserts: GraceDeadline[] = [];
      const graceDeletes: Array<{ orderId: string; ruleId: string }> = [];
      const redetected: Array<{ caseId: string; detection: Detection }> = [];
      const stillOpen: Array<{ open: OpenCase; rule: Rule }> = [];
      const opened: Detection[] = [];
      const closing: OpenCase[] = [];

      // What holds is not in the findings: close its open case, forget its grace deadline.
      for (const [key, open] of known.open) {
        if (!found.has(key) && this.byId.has(open.ruleId)) closing.push(open);
      }
      for (const key of known.grace) {
        const finding = found.get(key);
        if (!finding || finding.result.outcome === 'violated') {
          const [orderId, ruleId] = splitKey(key);
          graceDeletes.push({ orderId, ruleId });
        }
      }
      for (const finding of findings) {
        const { result } = finding;
        const rule = this.byId.get(finding.ruleId);
        if (!rule) continue;
        const key = caseKey(finding.orderId, finding.ruleId);
        if (result.outcome === 'within-grace') {
          graceUpserts.push({ orderId: finding.orderId, ruleId: rule.id, dueAt: result.dueAt, since: result.since });
        } else if (result.outcome === 'violated' && finding.view) {
          const open = known.open.get(key);
          const detection: Detection = { rule, view: finding.view, since: result.since, details: result.details };
          if (open) {
            redetected.push({ caseId: open.id, detection });
            stillOpen.push({ open, rule });
          } else if (known.dismissed.has(key)) {
            context.tally.did('suppressedByDismissal');
          } else {
            opened.push(detection);
          }
        }
      }

      await this.index.upsertGrace(manager, graceUpserts);
      await this.index.deleteGrace(manager, graceDeletes);
      await this.cases.redetect(manager, redetected, now);
      context.tally.did('casesRedetected', redetected.length);

      const resolved = await this.cases.transitionMany(manager, closing, 'selfClose', {
        actor: RECONCILIATION_ACTOR,
        reason: `The invariant holds again (run ${context.runId}).`,
        now,
        detail: { runId: context.runId, job: context.actor },
      });
      context.tally.did('casesResolved', resolved);

      for (const detection of opened) {
        const row = await this.cases.open(manager, detection, context.actor, now);
        if (row.inserted) context.tally.did('casesOpened');
        else context.tally.did('casesRedetected');
        if (row.status !== 'OPEN') continue;
        const kase = { id: row.id, status: row.status, repairKind: detection.rule.repair.kind };
        if (detection.rule.repair.kind === 'manual') {
          await this.cases.transition(manager, kase, 'handToPerson', { actor: context.actor, reason: whyAPerson(detection.rule), now });
        } else {
          repairs.push({ caseId: row.id, attempt: 1, requestedBy: context.actor });
        }
      }

      for (const { open, rule } of stillOpen) {
        await this.followUp(manager, open, rule, context, now, repairs);
      }

      // Counted with the batch (persisted in its transaction): a scan resumed after this batch
      // carries on from counts that include its repairs.
      context.tally.did('repairsScheduled', repairs.length);
      await context.persist(manager);
    });

    await this.queues.enqueueRepairs(repairs);
  }

  /**
   * An open case seen again: an OPEN auto case whose repair job was lost gets it again; a repair
   * that has not converged within REPAIR_TIMEOUT_MS is tried again, up to REPAIR_MAX_ATTEMPTS,
   * then handed to a person.
   */
  private async followUp(manager: EntityManager, open: OpenCase, rule: Rule, context: BatchContext, now: Date, repairs: RepairJobData[]): Promise<void> {
    if (open.status === 'OPEN') {
      if (open.repairKind === 'auto') repairs.push({ caseId: open.id, attempt: open.repairAttempts + 1, requestedBy: context.actor });
      else await this.cases.transition(manager, open, 'handToPerson', { actor: context.actor, reason: whyAPerson(rule), now });
      return;
    }
    if (open.status !== 'AUTO_REPAIRING' || !open.lastRepairAt) return;
    if (now.getTime() - open.lastRepairAt.getTime() < this.config.REPAIR_TIMEOUT_MS) return;
    if (open.repairAttempts < this.config.REPAIR_MAX_ATTEMPTS) {
      repairs.push({ caseId: open.id, attempt: open.repairAttempts + 1, requestedBy: context.actor });
      return;
    }
    const escalated = await this.cases.transition(manager, open, 'escalate', {
      actor: context.actor,
      reason: `Still diverging after ${open.repairAttempts} repair attempt(s); a person decides.`,
      now,
    });
    if (escalated) {
      context.tally.did('casesEscalated');
      this.log.warn({ caseId: open.id, rule: rule.id, orderId: open.orderId }, 'repair did not converge; case needs attention');
    }
  }
}
