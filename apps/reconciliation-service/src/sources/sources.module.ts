import { Module } from '@nestjs/common';
import { MilestoneSources } from './milestone-sources';

@Module({ providers: [MilestoneSources], exports: [MilestoneSources] })
export class SourcesModule {}
