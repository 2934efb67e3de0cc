import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PageCursor, PageLimit } from '@commerce/platform';

/** SKUs and node names: letters, digits and `._:-`, starting with a letter or digit. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const IDENTIFIER_MESSAGE = 'must be 1-100 characters of letters, digits and ._:- starting with a letter or digit';

export class StockKeyParams {
  @ApiProperty({ example: 'SKU-MUG-RED' })
  @Matches(IDENTIFIER, { message: `sku ${IDENTIFIER_MESSAGE}` })
  sku!: string;

  @ApiProperty({ example: 'wh-berlin', description: 'Warehouse node name' })
  @Matches(IDENTIFIER, { message: `node ${IDENTIFIER_MESSAGE}` })
  node!: string;
}

export class SkuParams {
  @ApiProperty({ example: 'SKU-MUG-RED' })
  @Matches(IDENTIFIER, { message: `sku ${IDENTIFIER_MESSAGE}` })
  sku!: string;
}

export class SetOnHandBody {
  @ApiProperty({ example: 10, minimum: 0, description: 'Units physically at the node; may not go below what is reserved' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  onHand!: number;
}

export class ListStockQuery {
  @ApiPropertyOptional({ description: 'Only this SKU' })
  @IsOptional()
  @IsString()
  sku?: string;

  @ApiPropertyOptional({ description: 'Only this warehouse node' })
  @IsOptional()
  @IsString()
  node?: string;

  /** @defaultValue 100 */
  @PageLimit({ default: 100, max: 1000 })
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export class StockLevelView {
  @ApiProperty() sku!: string;
  @ApiProperty() node!: string;
  @ApiProperty() onHand!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty({ description: 'onHand - reserved' }) available!: number;
  @ApiProperty() updatedAt!: string;
}

export class StockPage {
  @ApiProperty({ type: [StockLevelView] }) items!: StockLevelView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SkuStockView {
  @ApiProperty() sku!: string;
  @ApiProperty() onHand!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty() available!: number;
  @ApiProperty({ type: [StockLevelView] }) nodes!: StockLevelView[];
}
