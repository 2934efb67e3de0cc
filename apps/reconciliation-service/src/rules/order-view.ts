import { fullOrderMilestones, type ParsedOrderMilestones } from '@commerce/contracts';

/** The five services whose milestones are compared (keys of `OrderView.services`). */
export const SOURCE_SERVICES = ['order', 'inventory', 'payment', 'shipment', 'notification'] as const;
export type SourceService = (typeof SOURCE_SERVICES)[number];

/** The service answered and has no record of the order. */
export const NO_RECORD = null;
/** The service did not answer: unknown, never the same as "no record". */
export const UNAVAILABLE = 'unavailable' as const;

/** What one service said about one order (its times as the page gave them: epoch ms or ISO text). */
export type ServiceAnswer = ParsedOrderMilestones | typeof NO_RECORD | typeof UNAVAILABLE;

/** Every service's milestones for one orderId, read in one go. */
export interface OrderView {
  orderId: string;
  /** When the milestones were read. */
  observedAt: string;
  services: Record<SourceService, ServiceAnswer>;
}

export function isAvailable(answer: ServiceAnswer): answer is ParsedOrderMilestones | null {
  return answer !== UNAVAILABLE;
}

/** The services among `needs` that did not answer for this view. */
export function unavailableAmong(view: OrderView, needs: readonly SourceService[]): SourceService[] {
  return needs.filter((service) => view.services[service] === UNAVAILABLE);
}

/**
 * The view in the contract's full form (ISO times), as a case keeps it for evidence: what operators
 * read and the timeline sorts, whichever form the pages came in.
 */
export function inFullForm(view: OrderView): OrderView {
  const services = {} as Record<SourceService, ServiceAnswer>;
  for (const service of SOURCE_SERVICES) {
    const answer = view.services[service];
    services[service] = answer === NO_RECORD || answer === UNAVAILABLE ? answer : fullOrderMilestones(answer);
  }
  return { ...view, services };
}

/** A view in which every service answered "no record" except those given (test and fixture helper). */
export function orderView(orderId: string, answers: Partial<Record<SourceService, ServiceAnswer>>, observedAt = new Date()): OrderView {
  return {
    orderId,
    observedAt: observedAt.toISOString(),
    services: { order: null, inventory: null, payment: null, shipment: null, notification: null, ...answers },
  };
}
