import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventPayloads, EventType } from '@commerce/contracts';
import { Outbox } from '@commerce/messaging';
import { createLogger, workContext } from '@commerce/platform';
import { isOpen } from '../cases/case-lifecycle';
import { CaseStore } from '../cases/case-store';
import { RepairCaseEntity } from '../cases/case.entity';
import type { ServiceConfig } from '../config';
import { JobQueues } from '../jobs/job-queues';
import type { RepairJobData } from '../jobs/queues';
import { findRule } from '../rules/catalog';
import { type OrderView, unavailableAmong } from '../rules/order-view';
import { judge, type RepairCommand, type Rule } from '../rules/rule';
import { RECON_CONFIG, RULE_CATALOG } from '../settings.module';
import { MilestoneSources } from '../sources/milestone-sources';
import { RECONCILIATION_ACTOR } from '../runs/reconciler';

export type RepairOutcome =
  | { outcome: 'emitted'; commands: string[]; eventIds: string[] }
  | { outcome: 'already-emitted' | 'case-missing' | 'case-closed' | 'no-automatic-repair' | 'holds-again' | 'nothing-to-emit'; caseId: string };

/**
 * Auto-repair: emits the case's repair commands through the outbox in the same transaction as the
 * case's move to AUTO_REPAIRING (so a command exists if and only if the case says it was sent).
 * The commands are planned from the order's current milestones when every service the rule needs
 * answers (else from the evidence); if the invariant already holds, the case closes instead.
 */
@Injectable()
export class RepairService {
  private readonly log = createLogger('repairs');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECON_CONFIG) private readonly config: ServiceConfig,
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
    private readonly outbox: Outbox,
    private readonly cases: CaseStore,
    private readonly sources: MilestoneSources,
    private readonly queues: JobQueues,
  ) {}

  async repair(job: RepairJobData, actor: string): Promise<RepairOutcome> {
    const { caseId, attempt } = job;
    const current = await this.dataSource.getRepository(RepairCaseEntity).findOneBy({ id: caseId });
    if (!current) return { outcome: 'case-missing', caseId };
    const rule = findRule(this.rules, current.ruleId);
    if (!rule || rule.repair.kind !== 'auto') return { outcome: 'no-automatic-repair', caseId };
    if (!isOpen(current.status)) return { outcome: 'case-closed', caseId };
    if (current.repairAttempts >= attempt) return { outcome: 'already-emitted', caseId };

    // Only the services the rule reads (catalog.spec.ts holds every rule to its `needs`): a scan
    // that finds a thousand divergences schedules a thousand repairs while it runs.
    const fresh = (await this.sources.viewsOf([current.orderId], () => undefined, undefined, rule.needs))[0];
    const usable = unavailableAmong(fresh, rule.needs).length === 0;
    const view: OrderView = usable ? fresh : current.evidence;
    const now = new Date();
    const holdsAgain = usable && judge(rule, fresh, now).outcome === 'holds';
    const commands = holdsAgain ? [] : rule.repair.command.plan(view);

    const outcome = await this.dataSource.transaction(async (manager): Promise<RepairOutcome> => {
      const kase = await this.cases.lock(manager, caseId);
      if (!kase || !isOpen(kase.status)) return { outcome: 'case-closed', caseId };
      if (kase.repairAttempts >= attempt) return { outcome: 'already-emitted', caseId };
      if (holdsAgain) {
        await this.cases.transition(manager, kase, 'selfClose', { actor: RECONCILIATION_ACTOR, reason: 'The invariant holds again (checked before repairing).', now });
        return { outcome: 'holds-again', caseId };
      }
      if (commands.length === 0) {
        await this.cases.transition(manager, kase, 'escalate', { actor, reason: 'The repair found no command to emit; a person decides.', now });
        return { outcome: 'nothing-to-emit', caseId };
      }
      const eventIds = await workContext.run({ correlationId: caseId, causationId: null, orderId: kase.orderId }, () =>
        this.emit(manager, commands, kase.id, rule.id, kase.orderId),
      );
      const types = commands.map((c) => c.type);
      await this.cases.transition(manager, kase, 'startRepair', {
        actor,
        reason: `Emitted ${types.join(', ')} (repair attempt ${attempt}${job.requestedBy !== actor ? `, requested by ${job.requestedBy}` : ''}).`,
        now,
        detail: { commands, eventIds },
        // The evidence stays the detection's (all five services); this read was of the rule's only.
        set: { repairAttempts: attempt, lastRepairAt: now },
      });
      return { outcome: 'emitted', commands: types, eventIds };
    });

    if (outcome.outcome === 'emitted') {
      this.log.info({ caseId, rule: rule.id, orderId: current.orderId, commands: outcome.commands }, 'repair commands emitted');
      if (this.config.REPAIR_VERIFY_DELAY_MS > 0) {
        await this.queues.enqueueVerification(caseId, attempt, current.orderId, this.config.REPAIR_VERIFY_DELAY_MS);
      }
    }
    return outcome;
  }

  private async emit(manager: EntityManager, commands: RepairCommand[], caseId: string, ruleId: string, orderId: string): Promise<string[]> {
    const eventIds: string[] = [];
    for (const command of commands) {
      // RepairCommand pairs each type with its payload; TypeScript cannot carry that pairing into emit's generic.
      const payload = { ...command.payload, caseId, rule: ruleId } as EventPayloads[EventType];
      const event = await this.outbox.emit(manager, command.type as EventType, payload as never, { orderId });
      eventIds.push(event.eventId);
    }
    return eventIds;
  }
}
