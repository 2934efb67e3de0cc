import { Injectable, type StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type MilestonesPage, type OrderMilestones, SERVICES } from '@commerce/contracts';
import {
  encodeCursor,
  InvalidInputError,
  isUuid,
  keysetPage,
  keysetTimestampSql,
  type LiveMilestonesSelection,
  MilestoneDocuments,
  type MilestonesSelection,
  type Queryable,
} from '@commerce/platform';
import { orderMilestones, type OrderStatus } from '../orders/order-status';
import { type MilestoneFact, milestoneInputs, type MilestoneOrder } from '../orders/order-view';

/** One order as /milestones reads it: the columns it needs, with its facts (oldest first) as JSON. */
interface OrderRow {
  id: string;
  status: OrderStatus;
  currency: string;
  line_count: number;
  total_minor: string;
  units: number;
  placed_at: Date;
  cancellation_requested_at: Date | null;
  cancellation_reason: string | null;
  cancelled_at: Date | null;
  updated_at: Date;
  /** updated_at to the microsecond, for the updatedSince cursor. */
  position: string;
  facts: Array<Omit<MilestoneFact, 'occurredAt'> & { occurredAt: string }>;
}

/**
 * Orders and their facts in one statement, so both come from one snapshot and agree (and a page
 * costs one round trip: a full scan reads a million orders).
 */
const SELECT_ORDERS = `
  SELECT o.id, o.status, o.currency, jsonb_array_length(o.lines) AS line_count, o.total_minor, o.units, o.placed_at,
         o.cancellation_requested_at, o.cancellation_reason, o.cancelled_at, o.updated_at,
         ${keysetTimestampSql('o.updated_at')} AS position,
         (SELECT coalesce(json_agg(json_build_object('eventType', f.event_type, 'occurredAt', f.occurred_at, 'ref', f.ref,
                   'amountMinor', f.amount_minor, 'currency', f.currency, 'detail', f.detail) ORDER BY f.occurred_at, f.id), '[]')
            FROM order_fact f WHERE f.order_id = o.id) AS facts
    FROM customer_order o`;

/** The order service's own account of each order, for the reconciliation service. */
export function toOrderMilestones(row: OrderRow): OrderMilestones {
  const order: MilestoneOrder = {
    id: row.id,
    placedAt: row.placed_at,
    totalMinor: Number(row.total_minor),
    currency: row.currency,
    units: row.units,
    cancellationRequestedAt: row.cancellation_requested_at,
    cancellationReason: row.cancellation_reason,
    cancelledAt: row.cancelled_at,
  };
  const facts = row.facts.map((fact) => ({ ...fact, occurredAt: new Date(fact.occurredAt) }));
  return {
    orderId: row.id,
    status: row.status,
    updatedAt: row.updated_at.toISOString(),
    milestones: orderMilestones(milestoneInputs(order, facts)),
    facts: {
      totalMinor: order.totalMinor,
      currency: row.currency,
      units: row.units,
      lines: row.line_count,
      cancellationRequested: row.cancellation_requested_at !== null,
    },
  };
}

@Injectable()
export class MilestonesService {
  /** The full scan's range mode reads these (straight off the primary key: orderIds are uuids). */
  readonly documents = new MilestoneDocuments<OrderMilestones>({
    table: 'customer_order',
    orderIdColumn: 'id',
    orderIdType: 'uuid',
    derive: async (db, orderIds) => (await this.forOrders(db, orderIds)).map(toOrderMilestones),
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** GET /milestones as JSON text: the range and orderIds modes from the documents, updatedSince derived live. */
  pageJson(selection: MilestonesSelection): Promise<StreamableFile> {
    return this.documents.answer(this.dataSource, SERVICES.order, selection, (live) => this.page(live));
  }

  async page(selection: LiveMilestonesSelection): Promise<MilestonesPage> {
    const page = await this.changedSince(selection);
    return { service: SERVICES.order, items: page.rows.map(toOrderMilestones), nextCursor: page.nextCursor };
  }

  /** In the order asked for; ids that are no uuid name no order. */
  private async forOrders(db: Queryable, orderIds: string[]): Promise<OrderRow[]> {
    const ids = orderIds.filter(isUuid);
    if (ids.length === 0) return [];
    const rows = (await db.query(`${SELECT_ORDERS} WHERE o.id = ANY($1::uuid[])`, [ids])) as OrderRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Keyset-paged on (updatedAt, orderId); the cursor keeps updatedAt to the microsecond. */
  private async changedSince({ updatedSince, after, limit }: Extract<MilestonesSelection, { kind: 'changes' }>) {
    if (after && !isUuid(after.id)) throw new InvalidInputError([{ field: 'cursor', message: 'is not a cursor this service issued' }]);
    const rows: OrderRow[] = await this.dataSource.query(
      `${SELECT_ORDERS}
        WHERE o.updated_at >= $1::timestamptz ${after ? 'AND (o.updated_at, o.id) > ($3::timestamptz, $4::uuid)' : ''}
        ORDER BY o.updated_at, o.id
        LIMIT $2`,
      after ? [updatedSince, limit + 1, after.at, after.id] : [updatedSince, limit + 1],
    );
    return keysetPage(rows, limit, (last) => encodeCursor({ at: last.position, id: last.id }));
  }
}
