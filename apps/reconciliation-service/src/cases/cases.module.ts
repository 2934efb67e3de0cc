import { Module } from '@nestjs/common';
import { CaseStore } from './case-store';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({ providers: [CaseStore, CasesService], controllers: [CasesController], exports: [CaseStore] })
export class CasesModule {}
