/**
 * The life of a reservation, as pure functions over its lines: what a release or a commit
 * would change, and which status follows. The service applies the plans to the database.
 *
 *   RESERVED → PARTIALLY_COMMITTED → COMMITTED      (shipments dispatched)
 *   RESERVED / PARTIALLY_COMMITTED → RELEASED        (payment declined, order cancelled, repair)
 *   REJECTED                                         (nothing was ever reserved)
 */

export const RESERVATION_STATUSES = ['RESERVED', 'PARTIALLY_COMMITTED', 'COMMITTED', 'RELEASED', 'REJECTED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Why a reservation was released (the `reason` of InventoryReleased). */
export const RELEASE_REASONS = {
  paymentDeclined: 'payment-declined',
  orderCancelled: 'order-cancelled',
  repair: 'reconciliation-repair',
} as const;

/** Statuses in which units are still held and can be released or committed. */
const HOLDING: readonly ReservationStatus[] = ['RESERVED', 'PARTIALLY_COMMITTED'];

export interface ReservationLineState {
  lineNo: number;
  sku: string;
  node: string;
  quantity: number;
  committedQuantity: number;
  releasedQuantity: number;
}

/** Units of a line or lines still held (neither committed nor released). */
export function heldUnits(lines: readonly ReservationLineState[]): number {
  return lines.reduce((sum, line) => sum + line.quantity - line.committedQuantity - line.releasedQuantity, 0);
}

/** A change to apply to some reservation lines (and the same units to the stock rows at their node). */
export interface LineChange {
  lineNo: number;
  sku: string;
  node: string;
  quantity: number;
}

export type Plan = { apply: true; changes: LineChange[] } | { apply: false; why: string };

/** Releases every unit still held; nothing when the reservation holds nothing any more. */
export function planRelease(status: ReservationStatus, lines: readonly ReservationLineState[]): Plan {
  if (!HOLDING.includes(status)) return { apply: false, why: `reservation is ${status}` };
  const changes = lines
    .map((line) => ({ lineNo: line.lineNo, sku: line.sku, node: line.node, quantity: heldUnits([line]) }))
    .filter((change) => change.quantity > 0);
  return changes.length > 0 ? { apply: true, changes } : { apply: false, why: 'nothing is held' };
}

export interface DispatchedShipment {
  shipmentId: string;
  node: string;
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
}

/**
 * Commits the held units a dispatched shipment took: for each shipment line, the held units of
 * the same SKU at the shipment's node, up to the shipment's quantity. A shipment committed
 * before (its id is in `committedShipmentIds`) changes nothing.
 */
export function planCommit(
  status: ReservationStatus,
  lines: readonly ReservationLineState[],
  shipment: DispatchedShipment,
  committedShipmentIds: ReadonlySet<string>,
): Plan {
  if (committedShipmentIds.has(shipment.shipmentId)) return { apply: false, why: 'shipment already committed' };
  if (!HOLDING.includes(status)) return { apply: false, why: `reservation is ${status}` };

  const held = new Map(lines.map((line) => [line.lineNo, heldUnits([line])]));
  const changes: LineChange[] = [];
  for (const wanted of shipment.lines) {
    let outstanding = wanted.quantity;
    for (const line of lines) {
      if (outstanding === 0) break;
      if (line.sku !== wanted.sku || line.node !== shipment.node) continue;
      const take = Math.min(outstanding, held.get(line.lineNo) ?? 0);
      if (take === 0) continue;
      held.set(line.lineNo, (held.get(line.lineNo) ?? 0) - take);
      outstanding -= take;
      const existing = changes.find((change) => change.lineNo === line.lineNo);
      if (existing) existing.quantity += take;
      else changes.push({ lineNo: line.lineNo, sku: line.sku, node: line.node, quantity: take });
    }
  }
  return changes.length > 0
    ? { apply: true, changes }
    : { apply: false, why: `no units held at ${shipment.node} for the shipment's lines` };
}

/** Applies changes to the lines (returns new objects). */
export function withChanges(
  lines: readonly ReservationLineState[],
  changes: readonly LineChange[],
  kind: 'commit' | 'release',
): ReservationLineState[] {
  return lines.map((line) => {
    const units = changes.filter((change) => change.lineNo === line.lineNo).reduce((sum, change) => sum + change.quantity, 0);
    if (units === 0) return { ...line };
    return kind === 'commit'
      ? { ...line, committedQuantity: line.committedQuantity + units }
      : { ...line, releasedQuantity: line.releasedQuantity + units };
  });
}

/**
 * The status that follows from the lines: units still held → RESERVED or PARTIALLY_COMMITTED;
 * nothing held → COMMITTED if everything left the building, else RELEASED (a release after a
 * partial commit ends RELEASED, with committed units kept in the facts).
 */
export function statusOf(lines: readonly ReservationLineState[]): Exclude<ReservationStatus, 'REJECTED'> {
  const committed = lines.reduce((sum, line) => sum + line.committedQuantity, 0);
  const released = lines.reduce((sum, line) => sum + line.releasedQuantity, 0);
  if (heldUnits(lines) > 0) return committed > 0 ? 'PARTIALLY_COMMITTED' : 'RESERVED';
  return released > 0 ? 'RELEASED' : 'COMMITTED';
}

/** Merges changes into one line per (sku, node), as events carry them. */
export function toEventLines(changes: ReadonlyArray<{ sku: string; node: string; quantity: number }>) {
  const merged = new Map<string, { sku: string; quantity: number; node: string }>();
  for (const change of changes) {
    const key = JSON.stringify([change.sku, change.node]);
    const line = merged.get(key);
    if (line) line.quantity += change.quantity;
    else merged.set(key, { sku: change.sku, quantity: change.quantity, node: change.node });
  }
  return [...merged.values()];
}
