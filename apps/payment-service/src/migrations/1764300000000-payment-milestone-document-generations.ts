import { MilestoneDocumentGenerationsMigration } from '@commerce/platform';

/**
 * Milestone documents emptied by a trigger on every change of `payment`, so the full scan's range
 * mode reads no `payment` row to tell a current document (libs/platform milestone-documents.ts).
 */
export class PaymentMilestoneDocumentGenerations1764300000000 extends MilestoneDocumentGenerationsMigration {
  name = 'PaymentMilestoneDocumentGenerations1764300000000';
  protected readonly source = { table: 'payment', orderIdColumn: 'order_id' };
}
