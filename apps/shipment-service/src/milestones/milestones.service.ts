import { Injectable, type StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type MilestonesPage, type OrderMilestones, SERVICES } from '@commerce/contracts';
import {
  encodeCursor,
  groupBy,
  type KeysetPage,
  keysetPage,
  keysetTimestampSql,
  type LiveMilestonesSelection,
  MilestoneDocuments,
  type MilestonesSelection,
  type Queryable,
} from '@commerce/platform';
import { type FactsRow, type ShipmentRow, toOrderMilestones } from './order-milestones';

/** The facts of an order as the milestones read them; `position` keeps updated_at to the microsecond for the cursor. */
type OrderFactsRow = FactsRow & { position: string };

const SELECT_ORDER_FACTS = `
  SELECT order_id AS "orderId", currency, order_placed_at AS "orderPlacedAt", inventory_reserved_at AS "inventoryReservedAt",
         payment_authorized_at AS "paymentAuthorizedAt", cancellation_requested_at AS "cancellationRequestedAt",
         cancellation_reason AS "cancellationReason", updated_at AS "updatedAt", ${keysetTimestampSql('updated_at')} AS position
    FROM order_facts`;

@Injectable()
export class MilestonesService {
  /** The full scan's range mode reads these (index order_facts_by_order_id: order_id in byte order). */
  readonly documents = new MilestoneDocuments<OrderMilestones>({
    table: 'order_facts',
    orderIdColumn: 'order_id',
    derive: (db, orderIds) => this.forOrders(db, orderIds),
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** GET /milestones as JSON text: the range and orderIds modes from the documents, updatedSince derived live. */
  pageJson(selection: MilestonesSelection): Promise<StreamableFile> {
    return this.documents.answer(this.dataSource, SERVICES.shipment, selection, (live) => this.page(live));
  }

  /** The given orders, the orders changed since an instant, or every order in orderId order (both keyset-paged). */
  async page(selection: LiveMilestonesSelection): Promise<MilestonesPage> {
    return this.pageOf(await this.changedSince(selection));
  }

  private async forOrders(db: Queryable, orderIds: string[]): Promise<OrderMilestones[]> {
    const facts = (await db.query(`${SELECT_ORDER_FACTS} WHERE order_id = ANY($1::text[]) ORDER BY order_id`, [orderIds])) as OrderFactsRow[];
    return this.withShipments(db, facts);
  }

  private async pageOf({ rows, nextCursor }: KeysetPage<OrderFactsRow>): Promise<MilestonesPage> {
    return { service: SERVICES.shipment, items: await this.withShipments(this.dataSource, rows), nextCursor };
  }

  private async changedSince({ updatedSince, after, limit }: Extract<MilestonesSelection, { kind: 'changes' }>) {
    // The position is kept to the microsecond (what Postgres stores), so no change is skipped
    // between pages when several share a millisecond.
    const rows: OrderFactsRow[] = await this.dataSource.query(
      `${SELECT_ORDER_FACTS}
        WHERE updated_at >= $1::timestamptz
          AND ($2::timestamptz IS NULL OR (updated_at, order_id) > ($2::timestamptz, $3::text))
        ORDER BY updated_at, order_id
        LIMIT $4`,
      [updatedSince, after?.at ?? null, after?.id ?? null, limit + 1],
    );
    return keysetPage(rows, limit, (last) => encodeCursor({ at: last.position, id: last.orderId }));
  }

  private async withShipments(db: Queryable, facts: OrderFactsRow[]): Promise<OrderMilestones[]> {
    if (facts.length === 0) return [];
    // value_minor is a bigint of minor units (far below 2^53): read as a number.
    const shipments = (await db.query(
      `SELECT id, order_id AS "orderId", node, status, lines, value_minor::float8 AS "valueMinor", currency, created_at AS "createdAt",
              dispatched_at AS "dispatchedAt", delivered_at AS "deliveredAt", cancelled_at AS "cancelledAt",
              cancellation_reason AS "cancellationReason", cancellation_refused_at AS "cancellationRefusedAt",
              cancellation_refused_reason AS "cancellationRefusedReason"
         FROM shipment WHERE order_id = ANY($1::text[]) ORDER BY created_at, node`,
      [facts.map((f) => f.orderId)],
    )) as Array<ShipmentRow & { orderId: string }>;
    const byOrder = groupBy(shipments, (s) => s.orderId);
    return facts.map((f) => toOrderMilestones(f, byOrder.get(f.orderId) ?? []));
  }
}
