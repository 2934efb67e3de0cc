import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { SourcesModule } from '../sources/sources.module';
import { RepairService } from './repair.service';

@Module({ imports: [CasesModule, SourcesModule], providers: [RepairService], exports: [RepairService] })
export class RepairsModule {}
