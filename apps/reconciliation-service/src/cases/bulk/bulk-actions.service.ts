import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JobQueues } from '../../jobs/job-queues';
import { findRule } from '../../rules/catalog';
import type { Rule } from '../../rules/rule';
import { RULE_CATALOG } from '../../settings.module';
import { type CaseAction, CaseTransitionError, type CaseStatus, nextStatus } from '../case-lifecycle';
import { CaseStore } from '../case-store';
import type { RepairCaseEntity } from '../case.entity';
import { BULK_MAX_CASES, type BulkAction, type BulkActionDto, type CaseFilterDto } from './bulk-actions.dto';
import { selectCases } from './case-selection';

const LIFECYCLE_ACTION: Record<BulkAction, CaseAction> = { resolve: 'resolve', dismiss: 'dismiss', 'retry-repair': 'startRepair' };

/** What the action does to one case: whether it applies, the status it leads to, the commands it sends. */
export interface PlannedCase {
  id: string;
  orderId: string;
  rule: string;
  status: CaseStatus;
  applies: boolean;
  /** Why not, when it does not apply. */
  why?: string;
  /** The status after the action (for a retry: once its repair job has emitted the commands). */
  to?: CaseStatus;
  /** The command types a retry emits (planned from the order's fresh milestones when its job runs). */
  sends: string[];
}

/**
 * Resolve, dismiss or retry many cases in one action: a dry run over a filter says exactly which
 * cases and what would be sent; the action takes those caseIds and moves each in its own
 * transaction with its own audit row (actor = the operator, detail = the bulk action's id, kind and
 * size), so a case that changed since the dry run is skipped and reported, not forced.
 */
@Injectable()
export class BulkActions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
    private readonly store: CaseStore,
    private readonly queues: JobQueues,
  ) {}

  async dryRun(action: BulkAction, filter: CaseFilterDto = {}) {
    const selected = await selectCases(this.dataSource, this.rules, filter, BULK_MAX_CASES + 1);
    const cases = selected.slice(0, BULK_MAX_CASES).map((kase) => this.plan(action, kase));
    return {
      dryRun: true as const,
      action,
      filter,
      /** More cases match than one action takes: narrow the filter, or act on these first. */
      truncated: selected.length > BULK_MAX_CASES,
      cases,
      caseIds: cases.filter((kase) => kase.applies).map((kase) => kase.id),
    };
  }

  async apply(request: BulkActionDto, actor: string) {
    const bulkId = randomUUID();
    const caseIds = [...new Set(request.caseIds ?? [])];
    const bulk = { id: bulkId, action: request.action, cases: caseIds.length };
    const reason = `Bulk ${request.action} of ${caseIds.length} case${caseIds.length === 1 ? '' : 's'} (${bulkId})${request.note ? `: ${request.note}` : '.'}`;
    const results: Array<{ id: string; outcome: 'done' | 'skipped'; why?: string }> = [];
    const repairs: Array<{ caseId: string; attempt: number; requestedBy: string }> = [];
    for (const caseId of caseIds) {
      const result = await this.dataSource.transaction(async (manager) => {
        const kase = await this.store.lock(manager, caseId);
        if (!kase) return { id: caseId, outcome: 'skipped' as const, why: 'no such case' };
        const planned = this.plan(request.action, kase);
        if (!planned.applies) return { id: caseId, outcome: 'skipped' as const, why: planned.why };
        const now = new Date();
        if (request.action === 'retry-repair') {
          await this.store.audit(manager, caseId, now, actor, kase.status, kase.status, `Repair retry requested. ${reason}`, { bulk });
          repairs.push({ caseId, attempt: kase.repairAttempts + 1, requestedBy: actor });
        } else {
          const set = request.action === 'resolve' ? { resolution: request.note ?? reason } : undefined;
          await this.store.transition(manager, kase, LIFECYCLE_ACTION[request.action], { actor, reason, now, detail: { bulk }, ...(set ? { set } : {}) });
        }
        return { id: caseId, outcome: 'done' as const };
      });
      results.push(result);
    }
    if (repairs.length > 0) await this.queues.enqueueRepairs(repairs);
    return { dryRun: false as const, bulkId, action: request.action, done: results.filter((r) => r.outcome === 'done').length, results };
  }

  private plan(action: BulkAction, kase: RepairCaseEntity): PlannedCase {
    const rule = findRule(this.rules, kase.ruleId);
    const base = { id: kase.id, orderId: kase.orderId, rule: kase.ruleId, status: kase.status };
    try {
      const to = nextStatus(kase, LIFECYCLE_ACTION[action]);
      const sends = action === 'retry-repair' && rule?.repair.kind === 'auto' ? [...rule.repair.command.types] : [];
      return { ...base, applies: true, to, sends };
    } catch (error) {
      if (!(error instanceof CaseTransitionError)) throw error;
      return { ...base, applies: false, why: error.message, sends: [] };
    }
  }
}
