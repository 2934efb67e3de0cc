import { MilestoneDocumentsMigration } from '@commerce/platform';

/** Each order's /milestones item as notification last derived it, for the full scan (libs/platform milestone-documents.ts). */
export class NotificationMilestoneDocuments1764200000000 extends MilestoneDocumentsMigration {
  name = 'NotificationMilestoneDocuments1764200000000';
}
