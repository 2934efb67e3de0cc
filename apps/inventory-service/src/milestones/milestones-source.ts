import { type OrderMilestones, SERVICES } from '@commerce/contracts';
import { groupBy, type MilestonesSource, type Queryable } from '@commerce/milestones';
import { keysetTimestampSql } from '@commerce/platform';
import { RESERVATION_STATUSES, type ReservationStatus } from '../reservations/reservation-rules';
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

/**
 * These orders' reservations with their lines and commits, one query after the other on the
 * connection given (the page's snapshot). updated_at is read as exact microsecond ISO text.
 */
async function reservationRecords(db: Queryable, orderIds: string[]): Promise<ReservationRecord[]> {
  const rows = (await db.query(
    `SELECT reservation_id, order_id, status, requested_units, rejection, release_reason, released_at, created_at,
            ${keysetTimestampSql('updated_at')} AS updated_key
       FROM reservation WHERE order_id = ANY($1::text[])`,
    [orderIds],
  )) as ReservationRow[];
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.reservation_id);
  const lines = (await db.query(
    `SELECT reservation_id, quantity, committed_quantity, released_quantity FROM reservation_line
      WHERE reservation_id = ANY($1::uuid[]) ORDER BY reservation_id, line_no`,
    [ids],
  )) as Array<{ reservation_id: string; quantity: number; committed_quantity: number; released_quantity: number }>;
  const commits = (await db.query(
    `SELECT reservation_id, shipment_id, node, units, committed_at FROM reservation_commit
      WHERE reservation_id = ANY($1::uuid[]) ORDER BY committed_at, shipment_id`,
    [ids],
  )) as Array<{ reservation_id: string; shipment_id: string; node: string; units: number; committed_at: Date }>;
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

/** Inventory's GET /milestones (libs/milestones): one reservation per order, found by order_id (index reservation_by_order_id). */
export const milestonesSource: MilestonesSource = {
  service: SERVICES.inventory,
  table: 'reservation',
  orderIdColumn: 'order_id',
  derive: async (db, orderIds): Promise<OrderMilestones[]> => (await reservationRecords(db, orderIds)).map(toOrderMilestones),
  openApi: {
    summary: "Inventory's facts per order",
    statuses: RESERVATION_STATUSES,
    facts: 'reservationId, reservedUnits, committedUnits, releasedUnits, requestedUnits',
  },
};
