import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { milestoneDocumentRefresher, type MilestoneDocumentRefresherOptions } from '@commerce/platform';
import { MilestonesController } from './milestones.controller';
import { MilestonesService } from './milestones.service';

@Module({})
export class MilestonesModule {
  static forRoot(documents: MilestoneDocumentRefresherOptions): DynamicModule {
    return {
      module: MilestonesModule,
      controllers: [MilestonesController],
      providers: [MilestonesService, milestoneDocumentRefresher(SERVICES.inventory, documents, MilestonesService)],
    };
  }
}
