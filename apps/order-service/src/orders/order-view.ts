import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OrderFactEntity } from './order-fact.entity';
import type { OrderEntity, OrderLine, ShippingAddress } from './order.entity';
import { deriveOrderStatus, type HeardFact, type MilestoneInputs, type OrderMilestone, orderMilestones, ORDER_STATUSES, type OrderStatus } from './order-status';

/** What the milestones and the status are derived from, of an order and of each fact heard about it. */
export type MilestoneOrder = Pick<
  OrderEntity,
  'id' | 'placedAt' | 'totalMinor' | 'currency' | 'units' | 'cancellationRequestedAt' | 'cancellationReason' | 'cancelledAt'
>;
export type MilestoneFact = Pick<OrderFactEntity, 'eventType' | 'occurredAt' | 'ref' | 'amountMinor' | 'currency' | 'detail'>;

export function heardFacts(facts: readonly MilestoneFact[]): HeardFact[] {
  return facts.map((fact) => ({
    event: fact.eventType,
    at: fact.occurredAt.toISOString(),
    ref: fact.ref === '' ? null : fact.ref,
    amountMinor: fact.amountMinor,
    currency: fact.currency,
    detail: fact.detail,
  }));
}

export function milestoneInputs(order: MilestoneOrder, facts: readonly MilestoneFact[]): MilestoneInputs {
  return {
    orderId: order.id,
    placedAt: order.placedAt.toISOString(),
    totalMinor: order.totalMinor,
    currency: order.currency,
    units: order.units,
    cancellationRequestedAt: order.cancellationRequestedAt?.toISOString() ?? null,
    cancellationReason: order.cancellationReason,
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    heard: heardFacts(facts),
  };
}

/** The status the facts give now (what is stored is kept equal to it in every write). */
export function currentStatus(order: OrderEntity, facts: readonly OrderFactEntity[]): OrderStatus {
  return deriveOrderStatus(milestoneInputs(order, facts));
}

export class TimelineEntry {
  @ApiProperty({ example: 'PaymentAuthorized', description: 'The event heard (or sent, for OrderPlaced and OrderCancellationRequested)' })
  event!: string;
  @ApiProperty({ description: 'When it happened' })
  at!: string;
  @ApiProperty({ description: 'When the order service recorded it' })
  receivedAt!: string;
  @ApiPropertyOptional({ description: 'reservationId, paymentId or shipmentId' })
  ref?: string;
  @ApiPropertyOptional()
  amountMinor?: number;
  @ApiPropertyOptional()
  currency?: string;
  @ApiPropertyOptional()
  detail?: Record<string, unknown>;
}

export class OrderView {
  @ApiProperty({ format: 'uuid' })
  orderId!: string;
  @ApiProperty()
  customerId!: string;
  @ApiProperty({ enum: ORDER_STATUSES })
  status!: OrderStatus;
  @ApiProperty({ example: 'EUR' })
  currency!: string;
  @ApiProperty({ example: 5000 })
  totalMinor!: number;
  @ApiProperty({ description: 'Sum of the line quantities' })
  units!: number;
  @ApiProperty()
  lines!: OrderLine[];
  @ApiProperty()
  shippingAddress!: ShippingAddress;
  @ApiProperty()
  placedAt!: string;
  @ApiProperty()
  updatedAt!: string;
  @ApiPropertyOptional({ nullable: true })
  cancellationRequestedAt!: string | null;
  @ApiPropertyOptional({ nullable: true })
  cancellationReason!: string | null;
  @ApiProperty({ description: 'The same milestones as GET /milestones' })
  milestones!: OrderMilestone[];
  @ApiProperty({ type: [TimelineEntry], description: 'Everything the order service sent and heard, oldest first' })
  timeline!: TimelineEntry[];
}

export function orderView(order: OrderEntity, facts: readonly OrderFactEntity[]): OrderView {
  const inputs = milestoneInputs(order, facts);
  const own: TimelineEntry[] = [{ event: 'OrderPlaced', at: inputs.placedAt, receivedAt: inputs.placedAt, ref: order.id, amountMinor: order.totalMinor, currency: order.currency }];
  if (order.cancellationRequestedAt) {
    const at = order.cancellationRequestedAt.toISOString();
    own.push({ event: 'OrderCancellationRequested', at, receivedAt: at, ...(order.cancellationReason ? { detail: { reason: order.cancellationReason } } : {}) });
  }
  const heard: TimelineEntry[] = facts.map((fact) => ({
    event: fact.eventType,
    at: fact.occurredAt.toISOString(),
    receivedAt: fact.receivedAt.toISOString(),
    ...(fact.ref ? { ref: fact.ref } : {}),
    ...(fact.amountMinor !== null ? { amountMinor: fact.amountMinor } : {}),
    ...(fact.currency ? { currency: fact.currency } : {}),
    ...(fact.detail ? { detail: fact.detail } : {}),
  }));
  const timeline = [...own, ...heard].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  return {
    orderId: order.id,
    customerId: order.customerId,
    status: order.status,
    currency: order.currency,
    totalMinor: order.totalMinor,
    units: order.units,
    lines: order.lines,
    shippingAddress: order.shippingAddress,
    placedAt: inputs.placedAt,
    updatedAt: order.updatedAt.toISOString(),
    cancellationRequestedAt: inputs.cancellationRequestedAt,
    cancellationReason: order.cancellationReason,
    milestones: orderMilestones(inputs),
    timeline,
  };
}
