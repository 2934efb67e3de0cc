import { MilestoneDocumentsMigration } from '@commerce/platform';

/** Each order's /milestones item as the order service last derived it, for the full scan (libs/platform milestone-documents.ts). */
export class OrderMilestoneDocuments1764200000000 extends MilestoneDocumentsMigration {
  name = 'OrderMilestoneDocuments1764200000000';
  protected override readonly orderIdType = 'uuid';
}
