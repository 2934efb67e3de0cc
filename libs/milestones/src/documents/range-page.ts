import {
  COMPACT_FORMAT,
  type CompactOrderMilestones,
  compactOrderMilestones,
  type CompactPageHeader,
  expandOrderMilestones,
  type OrderMilestones,
} from '@commerce/contracts';
import type { MilestonesFormat } from '../query/milestones-query';
import type { CopyRow } from './copy-binary';

/**
 * A range page's items, built from the COPY's rows as they arrive: each current document's bytes
 * copied once into one buffer, each preceded by its separator (a line break in the compact form, a
 * comma in the full one), with no object or Buffer per row (a full scan reads a million rows from
 * every service). A document not in the form asked for goes through `documentIn`; an order with
 * none is kept with the place its live item goes; the row after `limit` only says more follow.
 */
export class RangePageItems {
  private items: Buffer;
  private length = 0;
  private rows = 0;
  private lastOrderId: string | null = null;
  private nextCursor: string | null = null;
  private readonly separator: number;
  /** Orders whose item is derived live, and where in `items` it goes. */
  readonly missing: Array<{ orderId: string; at: number }> = [];

  constructor(
    private readonly format: MilestonesFormat,
    private readonly limit: number,
  ) {
    this.separator = separatorIn(format);
    this.items = Buffer.allocUnsafe(Math.max(1024, Math.min(limit, 5000) * 512));
  }

  add(row: CopyRow): void {
    if (this.rows === this.limit) {
      this.nextCursor ??= this.lastOrderId;
      return;
    }
    this.rows += 1;
    if (this.rows === this.limit) this.lastOrderId = row.text(0);
    if (row.isNull(1)) {
      this.missing.push({ orderId: row.text(0) as string, at: this.length });
      return;
    }
    // Read in place: most documents are copied as they are, with no Buffer made for them.
    if (row.length(1) > 0 && storedIn(this.format, row.source[row.starts[1]])) {
      this.reserve(1 + row.length(1));
      this.items[this.length++] = this.separator;
      this.length += row.copyField(1, this.items, this.length);
      return;
    }
    const item = documentIn(this.format, row.field(1) as Buffer);
    this.reserve(1 + item.length);
    this.items[this.length++] = this.separator;
    this.length += item.copy(this.items, this.length);
  }

  /** The whole page, with the live items in their places (an order deleted in between is left out). */
  page(service: string, live: Map<string, Buffer>): Buffer {
    const parts: Buffer[] = [];
    let from = 0;
    for (const { orderId, at } of this.missing) {
      const item = live.get(orderId);
      if (!item) continue;
      parts.push(this.items.subarray(from, at), Buffer.from([this.separator]), item);
      from = at;
    }
    parts.push(this.items.subarray(from, this.length));
    return pageAround(service, parts.length === 1 ? parts[0] : Buffer.concat(parts), this.nextCursor, this.format);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.items.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.items.length * 2, this.length + bytes));
    this.items.copy(grown, 0, 0, this.length);
    this.items = grown;
  }
}

/** What goes before each item of a page: a line break in the compact form, a comma in the full one. */
const separatorIn = (format: MilestonesFormat): number => (format === COMPACT_FORMAT ? 0x0a : 0x2c);

/** Items already serialized as one page's items, each preceded by its separator. */
export function separated(items: Buffer[], format: MilestonesFormat): Buffer {
  const separator = Buffer.from([separatorIn(format)]);
  return Buffer.concat(items.flatMap((item) => [separator, item]));
}

/**
 * A `MilestonesPage` (@commerce/contracts), or its compact form (a header line, then an item per
 * line), around items already serialized and each preceded by its separator, spliced without
 * parsing them.
 */
export function pageAround(service: string, items: Buffer, nextCursor: string | null, format: MilestonesFormat): Buffer {
  if (format === COMPACT_FORMAT) {
    const header: CompactPageHeader = { service, format, nextCursor };
    return Buffer.concat([Buffer.from(JSON.stringify(header), 'utf8'), items]);
  }
  return Buffer.concat([
    Buffer.from(`{"service":${JSON.stringify(service)},"items":[`, 'utf8'),
    items.subarray(1), // the first item's separator
    Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)}}`, 'utf8'),
  ]);
}

const COMPACT_OPENING = 0x5b; // [

/** Whether a stored document whose first byte is `firstByte` is already in `format` (compact ones open with `[`). */
const storedIn = (format: MilestonesFormat, firstByte: number | undefined): boolean => (firstByte === COMPACT_OPENING) === (format === COMPACT_FORMAT);

/**
 * A stored document as an item of a page in `format`. Documents are stored compact; one in the full
 * form was written by an instance of an older version still running beside this one (the migration
 * to compact documents empties those it finds, `MilestoneDocumentsCompact1764400000000`), and is
 * converted rather than served in the wrong form.
 */
export function documentIn(format: MilestonesFormat, body: Buffer): Buffer {
  if (storedIn(format, body[0])) return body;
  const item: unknown = JSON.parse(body.toString('utf8'));
  return Buffer.from(JSON.stringify(format === COMPACT_FORMAT ? compactOrderMilestones(item as OrderMilestones) : expandOrderMilestones(item as CompactOrderMilestones)), 'utf8');
}
