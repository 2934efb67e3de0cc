import type { Milestone, OrderMilestones } from '@commerce/contracts';
import type { ReservationStatus } from '../reservations/reservation-rules';

/** What /milestones needs of one reservation, read in bulk. */
export interface ReservationRecord {
  reservationId: string;
  orderId: string;
  status: ReservationStatus;
  requestedUnits: number;
  rejection: { reason: string; unavailable: unknown[] } | null;
  releaseReason: string | null;
  releasedAt: Date | null;
  createdAt: Date;
  /** Microsecond ISO text of updated_at: exact, so it can serve as a keyset cursor. */
  updatedAt: string;
  lines: Array<{ quantity: number; committedQuantity: number; releasedQuantity: number }>;
  commits: Array<{ shipmentId: string; node: string; units: number; committedAt: Date }>;
}

/**
 * Inventory's account of one order: status in its own words, what happened (RESERVED or
 * REJECTED, then COMMITTED per shipment, RELEASED) and the unit figures the invariants check.
 */
export function toOrderMilestones(record: ReservationRecord): OrderMilestones {
  const sum = (pick: (line: ReservationRecord['lines'][number]) => number) => record.lines.reduce((total, line) => total + pick(line), 0);
  const reservedUnits = sum((line) => line.quantity);
  const committedUnits = sum((line) => line.committedQuantity);
  const releasedUnits = sum((line) => line.releasedQuantity);

  const milestones: Milestone[] = [];
  if (record.status === 'REJECTED') {
    milestones.push({
      name: 'REJECTED',
      at: record.createdAt.toISOString(),
      ref: record.reservationId,
      quantity: record.requestedUnits,
      detail: { reason: record.rejection?.reason ?? 'insufficient-stock', unavailable: record.rejection?.unavailable ?? [] },
    });
  } else {
    milestones.push({ name: 'RESERVED', at: record.createdAt.toISOString(), ref: record.reservationId, quantity: reservedUnits });
  }
  for (const commit of record.commits) {
    milestones.push({
      name: 'COMMITTED',
      at: commit.committedAt.toISOString(),
      ref: commit.shipmentId,
      quantity: commit.units,
      detail: { reservationId: record.reservationId, node: commit.node },
    });
  }
  if (record.releasedAt !== null) {
    milestones.push({
      name: 'RELEASED',
      at: record.releasedAt.toISOString(),
      ref: record.reservationId,
      quantity: releasedUnits,
      detail: { reason: record.releaseReason },
    });
  }
  milestones.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  return {
    orderId: record.orderId,
    status: record.status,
    updatedAt: record.updatedAt,
    milestones,
    facts: {
      reservationId: record.reservationId,
      reservedUnits: reservedUnits - committedUnits - releasedUnits,
      committedUnits,
      releasedUnits,
      requestedUnits: record.requestedUnits,
    },
  };
}
