import { milestoneMigrations } from '@commerce/milestones';
import { milestonesSource } from '../milestones/milestones-source';

/**
 * The milestones machinery's migrations (libs/milestones), under the names they were released
 * with: payment.updated_at moved by every change of a payment and of its captures and refunds,
 * whoever makes it, for GET /milestones?updatedSince=; then the milestone documents.
 */
export const milestonesMigrations = milestoneMigrations(milestonesSource, {
  orderRowTriggers: {
    name: 'PaymentUpdatedAtTriggers1764100000000',
    key: 'payment_id',
    children: [
      { table: 'payment_capture', column: 'payment_id' },
      { table: 'payment_refund', column: 'payment_id' },
    ],
  },
  documents: 'PaymentMilestoneDocuments1764200000000',
  documentGenerations: 'PaymentMilestoneDocumentGenerations1764300000000',
});
