import { milestoneMigrations } from '@commerce/milestones';
import { milestonesSource } from '../milestones/milestones-source';

/**
 * The milestones machinery's migrations (libs/milestones), under the names they were released
 * with: customer_order.updated_at moved by every change of an order and of its facts (order_fact),
 * whoever makes it, for GET /milestones?updatedSince=; then the milestone documents.
 */
export const milestonesMigrations = milestoneMigrations(milestonesSource, {
  orderRowTriggers: { name: 'OrderUpdatedAtTriggers1764100000000', key: 'id', children: [{ table: 'order_fact', column: 'order_id' }] },
  documents: 'OrderMilestoneDocuments1764200000000',
  documentGenerations: 'OrderMilestoneDocumentGenerations1764300000000',
});
