import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { BulkActions } from './bulk/bulk-actions.service';
import { BulkCasesController } from './bulk/bulk.controller';
import { CaseIndex } from './case-index';
import { CaseStore } from './case-store';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

// The bulk routes first: /cases/export must not be taken for /cases/:id.
@Module({ imports: [WebhooksModule], providers: [CaseStore, CaseIndex, CasesService, BulkActions], controllers: [BulkCasesController, CasesController], exports: [CaseStore, CaseIndex] })
export class CasesModule {}
