import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { createLogger } from '@commerce/platform';
import { CaseStore } from '../cases/case-store';

/** What a refusal did to its case. */
export type RefusalOutcome = 'escalated' | 'case-missing' | 'not-repairing' | 'older-command';

/** The refusal facts the services publish (one per producing domain: the catalog gives each type one producer). */
export type RepairRefusal = EventEnvelope<'PaymentRepairRefused' | 'InventoryRepairRefused' | 'NotificationRepairRefused'>;

/**
 * A service answered a repair command with "cannot": the case goes to NEEDS_ATTENTION at once,
 * the refusal's reason in its audit trail, instead of waiting out REPAIR_TIMEOUT_MS × attempts.
 * Only the command the case sent last counts: a late refusal of an earlier attempt says nothing
 * of the retry in flight.
 */
@Injectable()
export class RepairRefusals {
  private readonly log = createLogger('repairs');

  constructor(private readonly cases: CaseStore) {}

  async refused(event: RepairRefusal, context: EventContext): Promise<RefusalOutcome> {
    const { manager } = context;
    const { caseId, commandEventId, commandType, reason } = event.payload;
    const kase = await this.cases.lock(manager, caseId);
    if (!kase) return this.ignore('case-missing', event);
    if (kase.status !== 'AUTO_REPAIRING') return this.ignore('not-repairing', event);
    const [lastSent]: Array<{ event_ids: string[] | null }> = await manager.query(
      `SELECT detail->'eventIds' AS event_ids FROM case_audit
        WHERE case_id = $1 AND to_status = 'AUTO_REPAIRING' ORDER BY id DESC LIMIT 1`,
      [caseId],
    );
    if (!lastSent?.event_ids?.includes(commandEventId)) return this.ignore('older-command', event);

    await this.cases.transition(manager, kase, 'escalate', {
      actor: event.producer,
      reason: `${event.producer} refused ${commandType}: ${reason}`,
      now: new Date(),
      detail: { refusal: { eventId: event.eventId, commandEventId, commandType, reason } },
    });
    this.log.warn({ caseId, orderId: kase.orderId, commandType, reason }, 'repair refused; the case needs a person');
    return 'escalated';
  }

  private ignore(outcome: Exclude<RefusalOutcome, 'escalated'>, event: RepairRefusal): RefusalOutcome {
    this.log.info({ caseId: event.payload.caseId, commandEventId: event.payload.commandEventId, outcome }, 'repair refusal changes nothing');
    return outcome;
  }
}
