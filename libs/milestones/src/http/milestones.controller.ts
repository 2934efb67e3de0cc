import { Controller, Get, Inject, Query, type StreamableFile, type Type } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { COMPACT_CONTENT_TYPE } from '@commerce/contracts';
import { DataSource } from 'typeorm';
import type { MilestoneDocuments } from '../documents/milestone-documents';
import { answerMilestones } from '../milestones';
import { MilestonesQuery, parseMilestonesQuery } from '../query/milestones-query';
import { MilestonesPageView, MilestonesProblemView } from './milestones-page.view';

/** The service's `GET /milestones`, described in OpenAPI with its own statuses and facts. */
export function milestonesController(documents: MilestoneDocuments): Type {
  const { service, openApi } = documents.source;

  @ApiTags('milestones')
  @Controller('milestones')
  class MilestonesController {
    constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

    @Get()
    @ApiOperation({
      summary: `${openApi.summary} (by orderIds, changed since, or in orderId order)`,
      description:
        `The ${service}'s own account of each order, for the reconciliation service. Exactly one mode: orderIds, updatedSince (+ cursor), ` +
        `or afterOrderId / fromStart=true. status: ${openApi.statuses.join(' | ')}. facts: ${openApi.facts}. ` +
        `format=compact answers ${COMPACT_CONTENT_TYPE}: a header line { service, format, nextCursor }, then one item per line ` +
        '(@commerce/contracts milestones-compact.ts).',
    })
    @ApiProduces('application/json', COMPACT_CONTENT_TYPE)
    @ApiOkResponse({ type: MilestonesPageView, description: 'A page of items (format=full); nextCursor null on the last page' })
    @ApiBadRequestResponse({
      type: MilestonesProblemView,
      description: 'Problem details naming the fields: no mode or two modes, more than 1000 orderIds, a limit over the mode\'s maximum, a bad cursor or format',
    })
    get(@Query() query: MilestonesQuery): Promise<StreamableFile> {
      return answerMilestones(this.dataSource, documents, parseMilestonesQuery(query));
    }
  }
  return MilestonesController;
}
