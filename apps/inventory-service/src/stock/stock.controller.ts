import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListStockQuery, SetOnHandBody, SkuParams, SkuStockView, StockKeyParams, StockLevelView, StockPage } from './dto/stock.dto';
import { StockService } from './stock.service';

@ApiTags('stock')
@Controller('stock')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get()
  @ApiOperation({ summary: 'Stock levels per (sku, node), keyset-paged by sku then node' })
  @ApiOkResponse({ type: StockPage })
  list(@Query() query: ListStockQuery): Promise<StockPage> {
    return this.stock.list(query);
  }

  @Get(':sku')
  @ApiOperation({ summary: 'Stock of one SKU at every node, with totals' })
  @ApiOkResponse({ type: SkuStockView })
  @ApiNotFoundResponse({ description: 'No node stocks this SKU' })
  forSku(@Param() params: SkuParams): Promise<SkuStockView> {
    return this.stock.forSku(params.sku);
  }

  @Put(':sku/:node')
  @ApiOperation({ summary: 'Set the on-hand units of a SKU at a node (creates the stock level if new)' })
  @ApiOkResponse({ type: StockLevelView })
  @ApiConflictResponse({ description: 'On-hand would go below the units reserved for orders' })
  setOnHand(@Param() params: StockKeyParams, @Body() body: SetOnHandBody): Promise<StockLevelView> {
    return this.stock.setOnHand(params.sku, params.node, body.onHand);
  }
}
