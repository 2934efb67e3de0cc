import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Units of one SKU at one warehouse node; available = onHand - reserved. */
@Entity({ name: 'stock_level' })
export class StockLevel {
  @PrimaryColumn({ type: 'text' })
  sku!: string;

  @PrimaryColumn({ type: 'text' })
  node!: string;

  @Column({ name: 'on_hand', type: 'integer' })
  onHand!: number;

  @Column({ type: 'integer' })
  reserved!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
