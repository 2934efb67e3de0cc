/**
 * Choosing warehouse nodes for an order: a pure rule, no database. The caller locks the stock
 * rows, hands their availability in, and writes back what this decides.
 */

/** What one warehouse node can still promise for one SKU (on hand minus reserved). */
export interface NodeAvailability {
  sku: string;
  node: string;
  available: number;
}

export interface RequestedLine {
  sku: string;
  quantity: number;
}

export interface AllocatedLine {
  sku: string;
  quantity: number;
  node: string;
}

export interface UnavailableLine {
  sku: string;
  requested: number;
  /** Units of the SKU still available over all nodes (after the order's earlier lines). */
  available: number;
}

export type Allocation =
  | { outcome: 'reserved'; lines: AllocatedLine[] }
  | { outcome: 'rejected'; reason: 'insufficient-stock'; unavailable: UnavailableLine[] };

/**
 * All lines or none: each line goes whole to the first node (alphabetical) that can serve all
 * of its quantity; lines of one order may come from different nodes. A line is never split
 * across nodes (a shipment leaves from one node). If any line cannot be served the order is
 * rejected, listing every line that could not be served.
 */
export function allocateLines(lines: readonly RequestedLine[], stock: readonly NodeAvailability[]): Allocation {
  const remaining = new Map<string, Map<string, number>>();
  for (const level of stock) {
    const nodes = remaining.get(level.sku) ?? new Map<string, number>();
    nodes.set(level.node, (nodes.get(level.node) ?? 0) + Math.max(0, level.available));
    remaining.set(level.sku, nodes);
  }

  const allocated: AllocatedLine[] = [];
  const unavailable: UnavailableLine[] = [];
  for (const line of lines) {
    const nodes = remaining.get(line.sku) ?? new Map<string, number>();
    const node = [...nodes.keys()].sort(compareNodes).find((name) => (nodes.get(name) ?? 0) >= line.quantity);
    if (node === undefined) {
      const available = [...nodes.values()].reduce((sum, units) => sum + units, 0);
      unavailable.push({ sku: line.sku, requested: line.quantity, available });
      continue;
    }
    nodes.set(node, (nodes.get(node) ?? 0) - line.quantity);
    allocated.push({ sku: line.sku, quantity: line.quantity, node });
  }

  return unavailable.length > 0
    ? { outcome: 'rejected', reason: 'insufficient-stock', unavailable }
    : { outcome: 'reserved', lines: allocated };
}

/** Plain code-point order, so the choice does not depend on the server's locale. */
function compareNodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
