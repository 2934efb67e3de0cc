import { isoTime, type Milestone } from '@commerce/contracts';
import { type OrderView, SOURCE_SERVICES, type SourceService } from '../rules/order-view';

export interface TimelineEntry extends Milestone {
  service: SourceService;
}

/**
 * Every service's milestones for the order, merged into one timeline by time (ties keep the flow's
 * order of services: order, inventory, payment, shipment, notification), times as ISO text.
 */
export function crossServiceTimeline(view: OrderView): TimelineEntry[] {
  const entries: Array<TimelineEntry & { rank: number }> = [];
  SOURCE_SERVICES.forEach((service, rank) => {
    const answer = view.services[service];
    if (answer === null || answer === 'unavailable') return;
    for (const milestone of answer.milestones) entries.push({ service, ...milestone, at: isoTime(milestone.at), rank });
  });
  return entries
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.rank - b.rank)
    .map(({ rank: _rank, ...entry }) => entry);
}
