import type { ProblemDetails } from '@commerce/platform';
import type { CasesService } from '../../src/cases/cases.service';
import type { RulesController } from '../../src/rules/rules.controller';
import type { RunsService } from '../../src/runs/runs.service';
import type { StatsService } from '../../src/stats/stats.service';

/** The API's answers, as the tests read them (typed from the code that builds them). */
export type RunDetail = Awaited<ReturnType<RunsService['detail']>>;
export type RunList = Awaited<ReturnType<RunsService['list']>>;
export type RunStarted = Awaited<ReturnType<RunsService['start']>>;
export type CaseDetail = Awaited<ReturnType<CasesService['detail']>>;
export type CaseList = Awaited<ReturnType<CasesService['list']>>;
export type RuleList = ReturnType<RulesController['list']>;
export type Stats = Awaited<ReturnType<StatsService['stats']>>;
export type Problem = ProblemDetails;
