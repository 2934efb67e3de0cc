import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { PageCursor, PageLimit } from '@commerce/platform';
import { RUN_KINDS, type RunKind } from '../run.entity';

export const MAX_ORDER_IDS_PER_CHECK = 1000;

export class StartRunDto {
  @ApiProperty({ enum: RUN_KINDS, description: '`full`: every order; `incremental`: changed since the watermarks; `order`: the given orderIds' })
  @IsIn(RUN_KINDS)
  kind!: RunKind;

  @ApiPropertyOptional({ type: [String], description: `For kind=order: 1..${MAX_ORDER_IDS_PER_CHECK} orderIds` })
  @ValidateIf((dto: StartRunDto) => dto.kind === 'order' || dto.orderIds !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_IDS_PER_CHECK)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  orderIds?: string[];

  @ApiPropertyOptional({ description: 'Who asked (else the X-Operator header)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  requestedBy?: string;
}

export class ListRunsQuery {
  @ApiPropertyOptional({ enum: RUN_KINDS })
  @IsOptional()
  @IsIn(RUN_KINDS)
  kind?: RunKind;

  @PageCursor()
  cursor?: string;

  /** @defaultValue 20 */
  @PageLimit({ default: 20, max: 100 })
  limit?: number;
}
