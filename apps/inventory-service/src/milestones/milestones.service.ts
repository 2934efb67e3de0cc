import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type MilestonesPage, SERVICES } from '@commerce/contracts';
import { encodeCursor } from '@commerce/platform';
import type { ReservationStatus } from '../reservations/reservation-rules';
import { type ReservationRecord, toOrderMilestones } from './inventory-milestones';
import type { MilestonesSelection } from './milestones-query';

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
const UPDATED_KEY = `to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_key`;
const COLUMNS = `reservation_id, order_id, status, requested_units, rejection, release_reason, released_at, created_at, ${UPDATED_KEY}`;

@Injectable()
export class MilestonesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(selection: MilestonesSelection): Promise<MilestonesPage> {
    let rows: ReservationRow[];
    let nextCursor: string | null = null;
    if (selection.kind === 'orders') {
      rows = await this.dataSource.query(
        `SELECT ${COLUMNS} FROM reservation
          WHERE order_id = ANY($1::text[]) AND ($2::timestamptz IS NULL OR updated_at >= $2::timestamptz)
          ORDER BY updated_at, order_id`,
        [selection.orderIds, selection.updatedSince],
      );
    } else {
      const after = selection.after;
      rows = await this.dataSource.query(
        `SELECT ${COLUMNS} FROM reservation
          WHERE updated_at >= $1::timestamptz
            AND ($2::timestamptz IS NULL OR (updated_at, order_id) > ($2::timestamptz, $3::text))
          ORDER BY updated_at, order_id LIMIT $4`,
        [selection.updatedSince, after?.at ?? null, after?.id ?? null, selection.limit + 1],
      );
      if (rows.length > selection.limit) {
        rows = rows.slice(0, selection.limit);
        const last = rows[rows.length - 1];
        nextCursor = encodeCursor({ at: last.updated_key, id: last.order_id });
      }
    }
    return { service: SERVICES.inventory, items: (await this.records(rows)).map(toOrderMilestones), nextCursor };
  }

  private async records(rows: ReservationRow[]): Promise<ReservationRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.reservation_id);
    const lines: Array<{ reservation_id: string; quantity: number; committed_quantity: number; released_quantity: number }> =
      await this.dataSource.query(
        `SELECT reservation_id, quantity, committed_quantity, released_quantity FROM reservation_line
          WHERE reservation_id = ANY($1::uuid[]) ORDER BY reservation_id, line_no`,
        [ids],
      );
    const commits: Array<{ reservation_id: string; shipment_id: string; node: string; units: number; committed_at: Date }> =
      await this.dataSource.query(
        `SELECT reservation_id, shipment_id, node, units, committed_at FROM reservation_commit
          WHERE reservation_id = ANY($1::uuid[]) ORDER BY committed_at, shipment_id`,
        [ids],
      );
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
      lines: lines
        .filter((line) => line.reservation_id === row.reservation_id)
        .map((line) => ({ quantity: line.quantity, committedQuantity: line.committed_quantity, releasedQuantity: line.released_quantity })),
      commits: commits
        .filter((commit) => commit.reservation_id === row.reservation_id)
        .map((commit) => ({ shipmentId: commit.shipment_id, node: commit.node, units: commit.units, committedAt: commit.committed_at })),
    }));
  }
}
