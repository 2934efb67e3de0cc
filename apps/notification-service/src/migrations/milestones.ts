import { milestoneMigrations } from '@commerce/milestones';
import { milestonesSource } from '../milestones/milestones-source';

/**
 * The milestones machinery's migrations (libs/milestones), under the names they were released
 * with: notified_order.updated_at moved by every change of the row and of an order's notifications
 * (a notification with no notified_order row yet creates it: there is no foreign key), whoever
 * makes it, for GET /milestones?updatedSince=; then the milestone documents.
 */
export const milestonesMigrations = milestoneMigrations(milestonesSource, {
  orderRowTriggers: { name: 'NotifiedOrderUpdatedAtTriggers1764100000000', key: 'order_id', createMissing: true, children: [{ table: 'notification', column: 'order_id' }] },
  documents: 'NotificationMilestoneDocuments1764200000000',
  documentGenerations: 'NotificationMilestoneDocumentGenerations1764300000000',
});
