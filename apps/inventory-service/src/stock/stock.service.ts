import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createLogger, keysetPage, NotFoundError } from '@commerce/platform';
import type { SkuStockView, StockLevelView, StockPage } from './dto/stock.dto';
import { decodeStockCursor, encodeStockCursor } from './stock-cursor';
import { StockBelowReservedError } from './stock.errors';

interface StockRow {
  sku: string;
  node: string;
  on_hand: number;
  reserved: number;
  updated_at: Date;
}

function toView(row: StockRow): StockLevelView {
  return {
    sku: row.sku,
    node: row.node,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    updatedAt: row.updated_at.toISOString(),
  };
}

@Injectable()
export class StockService {
  private readonly log = createLogger('inventory-service');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Sets the units physically at a node; refused (409) below what orders already hold. */
  async setOnHand(sku: string, node: string, onHand: number): Promise<StockLevelView> {
    // One statement: the upsert locks the row, so a reservation cannot slip in between the
    // check and the write.
    const rows: StockRow[] = await this.dataSource.query(
      `INSERT INTO stock_level (sku, node, on_hand, reserved, updated_at) VALUES ($1, $2, $3, 0, now())
       ON CONFLICT (sku, node) DO UPDATE SET on_hand = EXCLUDED.on_hand, updated_at = now()
         WHERE stock_level.reserved <= EXCLUDED.on_hand
       RETURNING sku, node, on_hand, reserved, updated_at`,
      [sku, node, onHand],
    );
    if (rows.length === 0) {
      const [current] = await this.dataSource.query('SELECT reserved FROM stock_level WHERE sku = $1 AND node = $2', [sku, node]);
      throw new StockBelowReservedError(sku, node, onHand, current?.reserved ?? 0);
    }
    this.log.info({ sku, node, onHand }, 'on-hand stock set');
    return toView(rows[0]);
  }

  async list(filter: { sku?: string; node?: string; limit?: number; cursor?: string }): Promise<StockPage> {
    const limit = filter.limit ?? 100;
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.sku !== undefined) {
      values.push(filter.sku);
      conditions.push(`sku = $${values.length}`);
    }
    if (filter.node !== undefined) {
      values.push(filter.node);
      conditions.push(`node = $${values.length}`);
    }
    if (filter.cursor !== undefined) {
      const after = decodeStockCursor(filter.cursor);
      values.push(after.sku, after.node);
      conditions.push(`(sku, node) > ($${values.length - 1}, $${values.length})`);
    }
    values.push(limit + 1);
    const rows: StockRow[] = await this.dataSource.query(
      `SELECT sku, node, on_hand, reserved, updated_at FROM stock_level
        ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY sku, node LIMIT $${values.length}`,
      values,
    );
    const page = keysetPage(rows, limit, encodeStockCursor);
    return { items: page.rows.map(toView), nextCursor: page.nextCursor };
  }

  async forSku(sku: string): Promise<SkuStockView> {
    const rows: StockRow[] = await this.dataSource.query(
      'SELECT sku, node, on_hand, reserved, updated_at FROM stock_level WHERE sku = $1 ORDER BY node',
      [sku],
    );
    if (rows.length === 0) throw new NotFoundError('Stock for SKU', sku);
    const nodes = rows.map(toView);
    const onHand = nodes.reduce((sum, level) => sum + level.onHand, 0);
    const reserved = nodes.reduce((sum, level) => sum + level.reserved, 0);
    return { sku, onHand, reserved, available: onHand - reserved, nodes };
  }
}
