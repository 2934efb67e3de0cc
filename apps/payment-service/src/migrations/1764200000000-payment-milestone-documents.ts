import { MilestoneDocumentsMigration } from '@commerce/platform';

/** Each order's /milestones item as payment last derived it, for the full scan (libs/platform milestone-documents.ts). */
export class PaymentMilestoneDocuments1764200000000 extends MilestoneDocumentsMigration {
  name = 'PaymentMilestoneDocuments1764200000000';
}
