import { MilestoneDocumentsMigration } from '@commerce/platform';

/** Each order's /milestones item as inventory last derived it, for the full scan (libs/platform milestone-documents.ts). */
export class InventoryMilestoneDocuments1764200000000 extends MilestoneDocumentsMigration {
  name = 'InventoryMilestoneDocuments1764200000000';
}
