import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ShippingAddress } from './order-facts.entity';
import type { Shipment } from './shipment.entity';
import { SHIPMENT_STATUSES, type ShipmentStatus } from './shipment-rules';

class ShipmentLineView {
  @ApiProperty({ example: 'SKU-MUG-RED' }) sku!: string;
  @ApiProperty({ example: 2 }) quantity!: number;
  @ApiProperty({ example: 1250, description: 'minor units' }) unitPriceMinor!: number;
}

/** A shipment as REST shows it. */
export class ShipmentView {
  @ApiProperty({ example: 'shp_0b6f…' }) shipmentId!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty({ example: 'wh-berlin', description: 'the warehouse node it leaves from' }) node!: string;
  @ApiProperty({ enum: SHIPMENT_STATUSES }) status!: ShipmentStatus;
  @ApiProperty({ type: [ShipmentLineView] }) lines!: ShipmentLineView[];
  @ApiProperty({ example: 2500, description: 'sum of quantity × unitPriceMinor, minor units' }) valueMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() shippingAddress!: ShippingAddress;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) dispatchedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) deliveredAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cancelledAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cancellationReason!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'set when the order was cancelled after this shipment left' })
  cancellationRefusedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cancellationRefusedReason!: string | null;
}

const iso = (at: Date | null) => (at ? at.toISOString() : null);

export function toShipmentView(shipment: Shipment): ShipmentView {
  return {
    shipmentId: shipment.id,
    orderId: shipment.orderId,
    node: shipment.node,
    status: shipment.status,
    lines: shipment.lines,
    valueMinor: shipment.valueMinor,
    currency: shipment.currency,
    shippingAddress: shipment.shippingAddress,
    createdAt: shipment.createdAt.toISOString(),
    dispatchedAt: iso(shipment.dispatchedAt),
    deliveredAt: iso(shipment.deliveredAt),
    cancelledAt: iso(shipment.cancelledAt),
    cancellationReason: shipment.cancellationReason,
    cancellationRefusedAt: iso(shipment.cancellationRefusedAt),
    cancellationRefusedReason: shipment.cancellationRefusedReason,
  };
}
