import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ListShipmentsQuery {
  @ApiProperty({ description: 'the order whose shipments to list' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  orderId!: string;
}
