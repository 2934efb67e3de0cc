import { Module } from '@nestjs/common';
import { RulesController } from './rules.controller';
import { RuleWhatIf } from './rule-what-if';

@Module({ providers: [RuleWhatIf], controllers: [RulesController] })
export class RulesModule {}
