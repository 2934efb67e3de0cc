import { MilestoneDocumentGenerationsMigration } from '@commerce/platform';

/**
 * Milestone documents emptied by a trigger on every change of `order_facts`, so the full scan's range
 * mode reads no `order_facts` row to tell a current document (libs/platform milestone-documents.ts).
 */
export class ShipmentMilestoneDocumentGenerations1764300000000 extends MilestoneDocumentGenerationsMigration {
  name = 'ShipmentMilestoneDocumentGenerations1764300000000';
  protected readonly source = { table: 'order_facts', orderIdColumn: 'order_id' };
}
