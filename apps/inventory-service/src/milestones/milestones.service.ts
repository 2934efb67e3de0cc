import { Injectable, type StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type MilestonesPage, type OrderMilestones, SERVICES } from '@commerce/contracts';
import {
  groupBy,
  type KeysetPage,
  keysetTimestampSql,
  type LiveMilestonesSelection,
  MilestoneDocuments,
  type MilestonesSelection,
  type Queryable,
  selectOrderRows,
} from '@commerce/platform';
import type { ReservationStatus } from '../reservations/reservation-rules';
import { type ReservationRecord, toOrderMilestones } from './inventory-milestones';

interface ReservationRow {
  reservation_id: string;
  order_id: string;
  status: ReservationStatus;
  requested_units: number;
  rejection: ReservationRecord['rejection'];
  release_reason: string | null;
  released_at: Date | null;
  created_at: Date;
  updated_key: string;
}

/** updated_at as exact microsecond ISO text (a JS Date would drop the microseconds). */
const UPDATED_KEY = `${keysetTimestampSql('updated_at')} AS updated_key`;
const COLUMNS = `reservation_id, order_id, status, requested_units, rejection, release_reason, released_at, created_at, ${UPDATED_KEY}`;
const SELECTABLE = { from: 'reservation', columns: COLUMNS };

@Injectable()
export class MilestonesService {
  /** The full scan's range mode reads these (index reservation_by_order_id: order_id in byte order). */
  readonly documents = new MilestoneDocuments<OrderMilestones>({
    table: 'reservation',
    orderIdColumn: 'order_id',
    derive: async (db, orderIds) => this.items(db, (await selectOrderRows<ReservationRow>(db, SELECTABLE, { kind: 'orders', orderIds })).rows),
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** GET /milestones as JSON text: the range and orderIds modes from the documents, updatedSince derived live. */
  pageJson(selection: MilestonesSelection): Promise<StreamableFile> {
    return this.documents.answer(this.dataSource, SERVICES.inventory, selection, (live) => this.page(live));
  }

  async page(selection: LiveMilestonesSelection): Promise<MilestonesPage> {
    const { rows, nextCursor }: KeysetPage<ReservationRow> = await selectOrderRows<ReservationRow>(this.dataSource, SELECTABLE, selection);
    return { service: SERVICES.inventory, items: await this.items(this.dataSource, rows), nextCursor };
  }

  private async items(db: Queryable, rows: ReservationRow[]): Promise<OrderMilestones[]> {
    return (await this.records(db, rows)).map(toOrderMilestones);
  }

  private async records(db: Queryable, rows: ReservationRow[]): Promise<ReservationRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.reservation_id);
    const [lines, commits] = (await Promise.all([
      db.query(
        `SELECT reservation_id, quantity, committed_quantity, released_quantity FROM reservation_line
          WHERE reservation_id = ANY($1::uuid[]) ORDER BY reservation_id, line_no`,
        [ids],
      ),
      db.query(
        `SELECT reservation_id, shipment_id, node, units, committed_at FROM reservation_commit
          WHERE reservation_id = ANY($1::uuid[]) ORDER BY committed_at, shipment_id`,
        [ids],
      ),
    ])) as [
      Array<{ reservation_id: string; quantity: number; committed_quantity: number; released_quantity: number }>,
      Array<{ reservation_id: string; shipment_id: string; node: string; units: number; committed_at: Date }>,
    ];
    const linesOf = groupBy(lines, (line) => line.reservation_id);
    const commitsOf = groupBy(commits, (commit) => commit.reservation_id);
    return rows.map((row) => ({
      reservationId: row.reservation_id,
      orderId: row.order_id,
      status: row.status,
      requestedUnits: row.requested_units,
      rejection: row.rejection,
      releaseReason: row.release_reason,
      releasedAt: row.released_at,
      createdAt: row.created_at,
      updatedAt: row.updated_key,
      lines: (linesOf.get(row.reservation_id) ?? []).map((line) => ({
        quantity: line.quantity,
        committedQuantity: line.committed_quantity,
        releasedQuantity: line.released_quantity,
      })),
      commits: (commitsOf.get(row.reservation_id) ?? []).map((commit) => ({
        shipmentId: commit.shipment_id,
        node: commit.node,
        units: commit.units,
        committedAt: commit.committed_at,
      })),
    }));
  }
}
