import { MilestoneDocumentGenerationsMigration } from '@commerce/platform';

/**
 * Milestone documents emptied by a trigger on every change of `customer_order`, so the full scan's range
 * mode reads no `customer_order` row to tell a current document (libs/platform milestone-documents.ts).
 */
export class OrderMilestoneDocumentGenerations1764300000000 extends MilestoneDocumentGenerationsMigration {
  name = 'OrderMilestoneDocumentGenerations1764300000000';
  protected readonly source = { table: 'customer_order', orderIdColumn: 'id' };
}
