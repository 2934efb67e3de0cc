import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExclusiveWork } from '@commerce/platform';
import { MilestoneDocuments } from './documents/milestone-documents';
import { MilestoneDocumentRefresher } from './documents/refresher';
import { type MilestoneDocumentConfig, milestoneDocumentOptions } from './documents/settings';
import { milestonesController } from './http/milestones.controller';
import type { MilestonesSource } from './source';

@Module({})
export class MilestonesModule {
  /**
   * A service's `GET /milestones` from its description: the controller, its milestone documents
   * (`MilestoneDocuments`) and their refresher (`MilestoneDocumentRefresher`), run by the service's
   * `MILESTONE_DOCUMENTS_*` settings (`milestoneDocumentSettings`, in its config schema).
   */
  static forService(source: MilestonesSource, settings: MilestoneDocumentConfig): DynamicModule {
    const documents = new MilestoneDocuments(source);
    return {
      module: MilestonesModule,
      controllers: [milestonesController(documents)],
      providers: [
        { provide: MilestoneDocuments, useValue: documents },
        {
          provide: MilestoneDocumentRefresher,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => {
            // One replica refreshes at a time (per service database).
            const lock = new ExclusiveWork(dataSource, `${source.service}:milestone-documents`);
            return new MilestoneDocumentRefresher(dataSource, documents, milestoneDocumentOptions(settings), (round) => lock.tryRun(round));
          },
        },
      ],
      exports: [MilestoneDocuments],
    };
  }
}
