import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ConflictError, decodeCursor, encodeCursor, InvalidInputError, NotFoundError } from '@commerce/platform';
import { JobQueues } from '../jobs/job-queues';
import { findRule } from '../rules/catalog';
import type { Rule } from '../rules/rule';
import { RULE_CATALOG } from '../settings.module';
import { type CaseAction, nextStatus, OPEN_STATUSES } from './case-lifecycle';
import { CaseStore, isUniqueViolation } from './case-store';
import { CaseAuditEntity } from './case-audit.entity';
import { RepairCaseEntity } from './case.entity';
import { type ListCasesQuery, olderThanInstant } from './dto/list-cases.query';
import { crossServiceTimeline } from './timeline';

/** A case as the API shows it in lists. */
export function caseSummary(kase: RepairCaseEntity) {
  return {
    id: kase.id,
    orderId: kase.orderId,
    rule: kase.ruleId,
    severity: kase.severity,
    repairKind: kase.repairKind,
    status: kase.status,
    details: kase.details,
    divergedSince: kase.divergedSince.toISOString(),
    openedAt: kase.openedAt.toISOString(),
    lastDetectedAt: kase.lastDetectedAt.toISOString(),
    detectionCount: kase.detectionCount,
    repairAttempts: kase.repairAttempts,
    lastRepairAt: kase.lastRepairAt?.toISOString() ?? null,
    closedAt: kase.closedAt?.toISOString() ?? null,
    resolution: kase.resolution,
  };
}

/** The operators' side of cases: list, detail, and the actions (each one transaction with its audit row). */
@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
    private readonly store: CaseStore,
    private readonly queues: JobQueues,
  ) {}

  async list(query: ListCasesQuery) {
    const limit = query.limit ?? 50;
    if (query.rule !== undefined && !findRule(this.rules, query.rule)) {
      throw new InvalidInputError([{ field: 'rule', message: `unknown rule; one of ${this.rules.map((r) => r.id).join(', ')}` }]);
    }
    const builder = this.dataSource
      .getRepository(RepairCaseEntity)
      .createQueryBuilder('c')
      .orderBy('c.opened_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (query.status === 'open') builder.andWhere('c.status IN (:...open)', { open: OPEN_STATUSES });
    else if (query.status) builder.andWhere('c.status = :status', { status: query.status });
    if (query.rule) builder.andWhere('c.rule_id = :rule', { rule: query.rule });
    if (query.orderId) builder.andWhere('c.order_id = :orderId', { orderId: query.orderId });
    if (query.olderThan) builder.andWhere('c.opened_at < :before', { before: olderThanInstant(query.olderThan, new Date()) });
    if (query.cursor) {
      const position = decodeCursor(query.cursor);
      builder.andWhere('(c.opened_at, c.id) < (:at::timestamptz, :id::uuid)', { at: position.at, id: position.id });
    }
    const rows = await builder.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(caseSummary),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.openedAt.toISOString(), id: last.id }) : null,
    };
  }

  async detail(id: string) {
    const kase = await this.find(id);
    const audit = await this.dataSource.getRepository(CaseAuditEntity).find({ where: { caseId: id }, order: { id: 'ASC' } });
    const rule = findRule(this.rules, kase.ruleId);
    return {
      ...caseSummary(kase),
      ruleDescription: rule?.description ?? null,
      repair: rule ? (rule.repair.kind === 'auto' ? { kind: 'auto', commands: rule.repair.command.types, description: rule.repair.command.description } : rule.repair) : null,
      evidence: kase.evidence,
      timeline: crossServiceTimeline(kase.evidence),
      audit: audit.map((entry) => ({
        at: entry.at.toISOString(),
        actor: entry.actor,
        from: entry.fromStatus,
        to: entry.toStatus,
        reason: entry.reason,
        ...(entry.detail ? { detail: entry.detail } : {}),
      })),
    };
  }

  resolve(id: string, actor: string, note: string) {
    return this.act(id, 'resolve', actor, note);
  }

  dismiss(id: string, actor: string, reason: string) {
    return this.act(id, 'dismiss', actor, reason);
  }

  /**
   * Reopens a closed case; then, as for a new case, a rule without automatic repair hands it to a
   * person and an automatic one is repaired again.
   */
  async reopen(id: string, actor: string, reason: string) {
    const result = await this.act(id, 'reopen', actor, reason);
    if (result.repairKind === 'auto') await this.queues.enqueueRepairs([{ caseId: id, attempt: result.repairAttempts + 1, requestedBy: actor }]);
    return this.detail(id);
  }

  /** Asks for the repair commands to be emitted again (a new attempt), as a job. */
  async retryRepair(id: string, actor: string, reason: string | undefined) {
    const attempt = await this.dataSource.transaction(async (manager) => {
      const kase = await this.store.lock(manager, id);
      if (!kase) throw new NotFoundError('Case', id);
      nextStatus(kase, 'startRepair'); // 409 unless the rule repairs automatically and the case is open
      await this.store.audit(manager, id, new Date(), actor, kase.status, kase.status, `Repair retry requested${reason ? `: ${reason}` : ''}.`);
      return kase.repairAttempts + 1;
    });
    await this.queues.enqueueRepairs([{ caseId: id, attempt, requestedBy: actor }]);
    return { caseId: id, attempt, status: 'queued' as const };
  }

  private async act(id: string, action: Extract<CaseAction, 'resolve' | 'dismiss' | 'reopen'>, actor: string, reason: string) {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const kase = await this.store.lock(manager, id);
        if (!kase) throw new NotFoundError('Case', id);
        const now = new Date();
        await this.store.transition(manager, kase, action, { actor, reason, now, ...(action === 'resolve' ? { set: { resolution: reason } } : {}) });
        if (action === 'reopen' && kase.repairKind === 'manual') {
          const reopened = { ...kase, status: 'OPEN' as const };
          const rule = findRule(this.rules, kase.ruleId);
          await this.store.transition(manager, reopened, 'handToPerson', {
            actor,
            reason: rule?.repair.kind === 'manual' ? rule.repair.description : 'No automatic repair.',
            now,
          });
        }
        return kase;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError('case-already-open', 'Another case is open', `case ${id} cannot reopen: another case for the same order and rule is open; work on that one`);
      }
      throw error;
    }
  }

  private async find(id: string): Promise<RepairCaseEntity> {
    const kase = await this.dataSource.getRepository(RepairCaseEntity).findOneBy({ id });
    if (!kase) throw new NotFoundError('Case', id);
    return kase;
  }
}
