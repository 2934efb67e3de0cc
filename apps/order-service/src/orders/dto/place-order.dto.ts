import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** Upper bounds keep any order total far below 2^53 minor units (100 × 10 000 × 10^8 = 10^14). */
export const MAX_LINES = 100;
export const MAX_QUANTITY = 10_000;
export const MAX_UNIT_PRICE_MINOR = 100_000_000;

export class OrderLineDto {
  @ApiProperty({ example: 'SKU-MUG-RED', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sku!: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: MAX_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @ApiProperty({ example: 1250, minimum: 0, maximum: MAX_UNIT_PRICE_MINOR, description: 'Unit price in minor units of the currency' })
  @IsInt()
  @Min(0)
  @Max(MAX_UNIT_PRICE_MINOR)
  unitPriceMinor!: number;
}

export class ShippingAddressDto {
  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Torstraße 1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  line1!: string;

  @ApiPropertyOptional({ example: 'Hinterhaus' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  line2?: string;

  @ApiProperty({ example: 'Berlin' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city!: string;

  @ApiProperty({ example: '10119' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  postalCode!: string;

  @ApiProperty({ example: 'DE', description: 'ISO-3166 alpha-2 country code' })
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO-3166 alpha-2 code like "DE"' })
  country!: string;
}

export class PlaceOrderDto {
  @ApiProperty({ example: 'cus_1001' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO-4217 currency code' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO-4217 code like "EUR"' })
  currency!: string;

  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: MAX_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];

  @ApiProperty({ example: 'tok_ok', description: 'Opaque token from the payment gateway' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  paymentToken!: string;

  @ApiProperty({ type: ShippingAddressDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  shippingAddress!: ShippingAddressDto;
}
