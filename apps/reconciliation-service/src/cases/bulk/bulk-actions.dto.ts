import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { SOURCE_SERVICES, type SourceService } from '../../rules/order-view';
import { ActorDto } from '../dto/case-actions.dto';
import { AGE_PATTERN, CASE_STATUS_FILTERS } from '../dto/list-cases.query';

/** Cases one bulk action touches at most (a dry run says when a filter selects more). */
export const BULK_MAX_CASES = 500;

export const BULK_ACTIONS = ['resolve', 'dismiss', 'retry-repair'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Which cases: the filters of GET /cases, plus `service` (the cases of rules that read that service). */
export class CaseFilterDto {
  @ApiPropertyOptional({ enum: [...CASE_STATUS_FILTERS, 'all'], description: '`open` (the default) = OPEN, AUTO_REPAIRING and NEEDS_ATTENTION; `all` = any status' })
  @IsOptional()
  @IsIn([...CASE_STATUS_FILTERS, 'all'])
  status?: (typeof CASE_STATUS_FILTERS)[number] | 'all';

  @ApiPropertyOptional({ description: 'A rule id (GET /rules)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  rule?: string;

  @ApiPropertyOptional({ enum: SOURCE_SERVICES, description: 'Cases of the rules that read this service' })
  @IsOptional()
  @IsIn(SOURCE_SERVICES)
  service?: SourceService;

  @ApiPropertyOptional({ description: 'Cases opened before this: a duration ago (`30m`, `2h`, `7d`) or an ISO-8601 instant' })
  @IsOptional()
  @Matches(AGE_PATTERN, { message: 'olderThan must be a duration like 30m, 2h or 7d, or an ISO-8601 instant' })
  olderThan?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  orderId?: string;
}

/**
 * A dry run (`dryRun: true` with a `filter`) answers exactly which cases the action would touch and
 * what it would send; the action itself (`dryRun: false`) takes the `caseIds` the dry run listed, so
 * it touches nothing the operator did not see.
 */
export class BulkActionDto extends ActorDto {
  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS)
  action!: BulkAction;

  @ApiProperty({ description: 'true: only say what would happen' })
  @IsBoolean()
  dryRun!: boolean;

  @ApiPropertyOptional({ type: CaseFilterDto, description: 'For a dry run: which cases' })
  @ValidateIf((dto: BulkActionDto) => dto.dryRun === true)
  @ValidateNested()
  @Type(() => CaseFilterDto)
  filter?: CaseFilterDto;

  @ApiPropertyOptional({ type: [String], description: `For the action: the caseIds its dry run listed (1..${BULK_MAX_CASES})` })
  @ValidateIf((dto: BulkActionDto) => dto.dryRun === false)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_CASES)
  @IsUUID('all', { each: true })
  caseIds?: string[];

  @ApiPropertyOptional({ description: 'For the audit trail: required to resolve (what was done) or dismiss (why)' })
  @ValidateIf((dto: BulkActionDto) => dto.dryRun === false && dto.action !== 'retry-repair')
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note?: string;
}
