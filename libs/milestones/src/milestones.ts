import type { StreamableFile } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { changesPage } from './changes/changes-page';
import type { MilestoneDocuments } from './documents/milestone-documents';
import { milestonesResponse, pageText } from './http/milestones-response';
import type { MilestonesSelection } from './query/milestones-query';
import { inSnapshot } from './snapshot';

/**
 * A whole `GET /milestones` answer in the form asked for, each page read in one snapshot: the
 * range and orderIds modes from the milestone documents (the full scan; the incremental scan's and
 * the repairs' checks), the changes mode from the service's live derivation.
 */
export async function answerMilestones(dataSource: DataSource, documents: MilestoneDocuments, selection: MilestonesSelection): Promise<StreamableFile> {
  const format = selection.format ?? 'full';
  switch (selection.kind) {
    case 'range':
      return milestonesResponse(await documents.rangePage(dataSource, selection.afterOrderId, selection.limit, format), format);
    case 'orders':
      return milestonesResponse(await documents.ordersPage(dataSource, selection.orderIds, format), format);
    case 'changes': {
      const page = await inSnapshot(dataSource, (db) => changesPage(db, documents.orders, documents.source, selection));
      return milestonesResponse(pageText(page, format), format);
    }
  }
}
