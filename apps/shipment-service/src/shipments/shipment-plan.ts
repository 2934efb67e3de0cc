/** Splitting an order into shipments: one per warehouse node the lines were reserved from. */

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface ReservedLine {
  sku: string;
  quantity: number;
  node: string;
}

export interface PlannedShipment {
  node: string;
  lines: PricedLine[];
  valueMinor: number;
}

/** The reservation names units the order does not hold: the two facts cannot both be right. */
export class ReservationDoesNotMatchOrderError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'ReservationDoesNotMatchOrderError';
  }
}

export function valueOf(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
}

/**
 * Prices each reserved line from the order (the reservation knows nodes, the order knows prices)
 * and groups the result by node, in the order nodes first appear in the reservation.
 * A sku ordered on several lines at different prices is consumed line by line, in order.
 */
export function planShipments(orderLines: readonly PricedLine[], reservedLines: readonly ReservedLine[]): PlannedShipment[] {
  const unallocated = orderLines.map((line) => ({ ...line }));
  const byNode = new Map<string, PricedLine[]>();

  for (const reserved of reservedLines) {
    let needed = reserved.quantity;
    const lines = byNode.get(reserved.node) ?? [];
    byNode.set(reserved.node, lines);
    for (const source of unallocated) {
      if (needed === 0) break;
      if (source.sku !== reserved.sku || source.quantity === 0) continue;
      const taken = Math.min(needed, source.quantity);
      source.quantity -= taken;
      needed -= taken;
      const same = lines.find((line) => line.sku === source.sku && line.unitPriceMinor === source.unitPriceMinor);
      if (same) same.quantity += taken;
      else lines.push({ sku: source.sku, quantity: taken, unitPriceMinor: source.unitPriceMinor });
    }
    if (needed > 0) {
      const ordered = orderLines.filter((line) => line.sku === reserved.sku).reduce((sum, line) => sum + line.quantity, 0);
      throw new ReservationDoesNotMatchOrderError(
        ordered === 0
          ? `${reserved.sku} is reserved at ${reserved.node} but the order has no line for it`
          : `${reserved.quantity} × ${reserved.sku} reserved at ${reserved.node}: more than the ${ordered} ordered (with the other nodes' share)`,
      );
    }
  }

  return [...byNode]
    .filter(([, lines]) => lines.length > 0)
    .map(([node, lines]) => ({ node, lines, valueMinor: valueOf(lines) }));
}
