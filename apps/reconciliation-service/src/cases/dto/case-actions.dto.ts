import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Who acts: the body's `actor` (else the X-Operator header), as every action's body may say. */
export class ActorDto {
  @ApiPropertyOptional({ description: 'Who acts (else the X-Operator header); the dashboard will take it from the sign-in' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  actor?: string;
}

export class ResolveCaseDto extends ActorDto {
  @ApiProperty({ description: 'What was done, for the audit trail', example: 'Parcel recalled; customer refunded by hand.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
}

export class DismissCaseDto extends ActorDto {
  @ApiProperty({ description: 'Why the divergence is accepted (it will not be reported again for this order and rule)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ReopenCaseDto extends ActorDto {
  @ApiProperty({ description: 'Why the case is reopened' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class RetryRepairDto extends ActorDto {
  @ApiPropertyOptional({ description: 'Why the repair is tried again' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;
}
