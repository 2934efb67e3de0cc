import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ServiceConfig } from '../config';
import { RECON_CONFIG } from '../settings.module';
import { type CaseChange, plannedDeliveries } from './webhook-events';

/**
 * Writes the deliveries a case change makes, in the caller's transaction: a change that rolls
 * back sends nothing, and one that commits is delivered even if the process dies right after.
 */
@Injectable()
export class WebhookOutbox {
  constructor(@Inject(RECON_CONFIG) private readonly config: ServiceConfig) {}

  async enqueue(manager: EntityManager, changes: readonly CaseChange[]): Promise<number> {
    const planned = plannedDeliveries(changes, this.config.WEBHOOK_ENDPOINTS);
    if (planned.length === 0) return 0;
    const ids = planned.map(() => randomUUID());
    // The payload is built here from the case row, so every delivery says the same about a case.
    await manager.query(
      `INSERT INTO webhook_delivery (id, endpoint, event_type, case_id, order_id, payload, max_attempts, next_attempt_at, created_at)
       SELECT u.id, u.endpoint, u.event_type, c.id, c.order_id,
              jsonb_build_object(
                'deliveryId', u.id, 'event', u.event_type, 'occurredAt', u.occurred_at,
                'case', jsonb_build_object('id', c.id, 'orderId', c.order_id, 'rule', c.rule_id, 'severity', c.severity,
                                           'status', u.to_status, 'previousStatus', u.from_status),
                'actor', u.actor, 'reason', u.reason),
              $10, u.at, u.at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $11::text[])
              WITH ORDINALITY AS u(id, endpoint, event_type, case_id, at, from_status, to_status, actor, reason, occurred_at, position)
         JOIN repair_case c ON c.id = u.case_id
        ORDER BY u.position`,
      [
        ids,
        planned.map((p) => p.endpoint),
        planned.map((p) => p.event),
        planned.map((p) => p.change.caseId),
        planned.map((p) => p.change.at),
        planned.map((p) => p.change.from),
        planned.map((p) => p.change.to),
        planned.map((p) => p.change.actor),
        planned.map((p) => p.change.reason),
        this.config.WEBHOOK_MAX_ATTEMPTS,
        planned.map((p) => p.change.at.toISOString()),
      ],
    );
    return planned.length;
  }
}
