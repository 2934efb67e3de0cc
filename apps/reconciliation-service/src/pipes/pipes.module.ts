import { Module } from '@nestjs/common';
import { PipesController } from './pipes.controller';
import { PipesService } from './pipes.service';

@Module({ providers: [PipesService], controllers: [PipesController] })
export class PipesModule {}
