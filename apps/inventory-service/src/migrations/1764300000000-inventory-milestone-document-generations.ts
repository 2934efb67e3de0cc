import { MilestoneDocumentGenerationsMigration } from '@commerce/platform';

/**
 * Milestone documents emptied by a trigger on every change of `reservation`, so the full scan's range
 * mode reads no `reservation` row to tell a current document (libs/platform milestone-documents.ts).
 */
export class InventoryMilestoneDocumentGenerations1764300000000 extends MilestoneDocumentGenerationsMigration {
  name = 'InventoryMilestoneDocumentGenerations1764300000000';
  protected readonly source = { table: 'reservation', orderIdColumn: 'order_id' };
}
