import type { CaseStatus } from '../cases/case-lifecycle';

/**
 * What a webhook endpoint may subscribe to: the moments a person may want to hear of a case.
 * AUTO_REPAIRING and DISMISSED are not among them (the service is acting, or a person decided).
 */
export const WEBHOOK_EVENTS = ['case.opened', 'case.needs-attention', 'case.repaired', 'case.reopened'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** One endpoint of the WEBHOOK_ENDPOINTS setting. */
export interface WebhookEndpoint {
  url: string;
  events: ReadonlySet<WebhookEvent>;
}

/** A case's status change, as written to its audit trail (from null: it was opened). */
export interface CaseChange {
  caseId: string;
  from: CaseStatus | null;
  to: CaseStatus;
  at: Date;
  actor: string;
  reason: string;
}

/** The webhook event a status change is, or null when it is none an endpoint can want. */
export function webhookEventOf(from: CaseStatus | null, to: CaseStatus): WebhookEvent | null {
  if (from === to) return null; // an audit entry without a move (a repair retried)
  if (from === null) return to === 'OPEN' ? 'case.opened' : null;
  if (to === 'NEEDS_ATTENTION') return 'case.needs-attention';
  // Whoever closed it (a check finding the invariant holds after a repair, or an operator's fix).
  if (to === 'RESOLVED') return 'case.repaired';
  if (to === 'OPEN' && (from === 'RESOLVED' || from === 'DISMISSED')) return 'case.reopened';
  return null;
}

export interface PlannedDelivery {
  endpoint: string;
  event: WebhookEvent;
  change: CaseChange;
}

/**
 * The deliveries a batch of changes makes: one per (change, endpoint wanting its event), in the
 * changes' order, so each endpoint hears of them in the order they were written.
 */
export function plannedDeliveries(changes: readonly CaseChange[], endpoints: readonly WebhookEndpoint[]): PlannedDelivery[] {
  if (endpoints.length === 0) return [];
  const planned: PlannedDelivery[] = [];
  for (const change of changes) {
    const event = webhookEventOf(change.from, change.to);
    if (!event) continue;
    for (const endpoint of endpoints) if (endpoint.events.has(event)) planned.push({ endpoint: endpoint.url, event, change });
  }
  return planned;
}
