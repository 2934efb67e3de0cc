import { milestoneMigrations } from '@commerce/milestones';
import { milestonesSource } from '../milestones/milestones-source';

/**
 * The milestones machinery's migrations (libs/milestones), under the names they were released
 * with: order_facts.updated_at moved by every change of the row and of an order's shipments,
 * whoever makes it, for GET /milestones?updatedSince=; then the milestone documents.
 */
export const milestonesMigrations = milestoneMigrations(milestonesSource, {
  orderRowTriggers: { name: 'OrderFactsUpdatedAtTriggers1764100000000', key: 'order_id', children: [{ table: 'shipment', column: 'order_id' }] },
  documents: 'ShipmentMilestoneDocuments1764200000000',
  documentGenerations: 'ShipmentMilestoneDocumentGenerations1764300000000',
});
