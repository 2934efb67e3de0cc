import { MilestoneDocumentsMigration } from '@commerce/platform';

/** Each order's /milestones item as shipment last derived it, for the full scan (libs/platform milestone-documents.ts). */
export class ShipmentMilestoneDocuments1764200000000 extends MilestoneDocumentsMigration {
  name = 'ShipmentMilestoneDocuments1764200000000';
}
