import { MilestoneDocumentGenerationsMigration } from '@commerce/platform';

/**
 * Milestone documents emptied by a trigger on every change of `notified_order`, so the full scan's range
 * mode reads no `notified_order` row to tell a current document (libs/platform milestone-documents.ts).
 */
export class NotificationMilestoneDocumentGenerations1764300000000 extends MilestoneDocumentGenerationsMigration {
  name = 'NotificationMilestoneDocumentGenerations1764300000000';
  protected readonly source = { table: 'notified_order', orderIdColumn: 'order_id' };
}
