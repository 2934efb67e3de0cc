import type { Milestone, OrderMilestones } from './milestones';

/**
 * The compact form of a `GET /milestones` page (`?format=compact`): the same items as
 * `MilestonesPage`, each an array instead of an object, times as epoch milliseconds where that
 * says exactly what the ISO text said, and one item per line. A full scan moves a million orders
 * from each of five services: without the repeated keys a page is 28 % fewer bytes, which every
 * layer (Postgres, the service, the kernel, the reconciliation service's parser) pays for; and a
 * reader can parse an item when it gets to it instead of a page of 5000 at once (a page parsed
 * whole outlives the reader's young generation, and copying it there cost more than parsing it).
 *
 * - page (`application/x-ndjson`): a header line `{"service","format":"compact","nextCursor"}`,
 *   then one item per line (JSON text has no raw line breaks)
 * - item: `[orderId, status, updatedAt, milestones, facts]`
 * - milestone: `[name, at, ref, amountMinor, currency, quantity, detail]`, trailing absent fields
 *   left out and an absent one before a present one written as null (the full form has no nulls
 *   there: an optional field is absent or of its type)
 * - a time: epoch milliseconds where `new Date(ms).toISOString()` is the ISO text exactly, else the text
 *
 * `expandOrderMilestones(compactOrderMilestones(item))` is `item` again, field for field and
 * character for character (milestones-compact.spec.ts).
 */
export const COMPACT_FORMAT = 'compact';

/** A time in a compact page: epoch milliseconds, or the ISO text where milliseconds would not say it exactly. */
export type CompactTime = number | string;

export type CompactMilestone = [
  name: string,
  at: CompactTime,
  ref?: string | null,
  amountMinor?: number | null,
  currency?: string | null,
  quantity?: number | null,
  detail?: Record<string, unknown> | null,
];

export type CompactOrderMilestones = [orderId: string, status: string, updatedAt: CompactTime, milestones: CompactMilestone[], facts: OrderMilestones['facts']];

export const COMPACT_CONTENT_TYPE = 'application/x-ndjson';

/** The first line of a compact page. */
export interface CompactPageHeader {
  service: string;
  format: typeof COMPACT_FORMAT;
  nextCursor: string | null;
}

/** A compact page's text (a service storing serialized items splices them the same way). */
export function compactPageText(service: string, items: readonly OrderMilestones[], nextCursor: string | null): string {
  const header: CompactPageHeader = { service, format: COMPACT_FORMAT, nextCursor };
  return [header, ...items.map(compactOrderMilestones)].map((line) => JSON.stringify(line)).join('\n');
}

/** A milestone as read from either form: its time may be epoch milliseconds. */
export type ParsedMilestone = Omit<Milestone, 'at'> & { at: CompactTime };

/** An item as read from either form (a full-form item is one already). */
export type ParsedOrderMilestones = Omit<OrderMilestones, 'updatedAt' | 'milestones'> & { updatedAt: CompactTime; milestones: ParsedMilestone[] };

/** 2025-01-01T10:00:00.000Z: the only text a number stands for. */
const MILLISECOND_ISO_LENGTH = 24;

export function compactTime(text: string): CompactTime {
  if (text.length !== MILLISECOND_ISO_LENGTH) return text;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && new Date(ms).toISOString() === text ? ms : text;
}

export function isoTime(time: CompactTime): string {
  return typeof time === 'number' ? new Date(time).toISOString() : time;
}

export function compactOrderMilestones(item: OrderMilestones): CompactOrderMilestones {
  return [item.orderId, item.status, compactTime(item.updatedAt), item.milestones.map(compactMilestone), item.facts];
}

function compactMilestone(m: Milestone): CompactMilestone {
  const fields: CompactMilestone = [m.name, compactTime(m.at), m.ref ?? null, m.amountMinor ?? null, m.currency ?? null, m.quantity ?? null, m.detail ?? null];
  let length = fields.length;
  while (length > 2 && fields[length - 1] === null) length--;
  fields.length = length;
  return fields;
}

/**
 * A compact item as the reader's objects, times left as they came (epoch milliseconds are what the
 * reconciliation service compares; `expandOrderMilestones` gives the full form back).
 */
export function parseCompactOrderMilestones(item: CompactOrderMilestones): ParsedOrderMilestones {
  const compact = item[3];
  const milestones: ParsedMilestone[] = new Array(compact.length);
  for (let i = 0; i < compact.length; i++) {
    const m = compact[i];
    const milestone: ParsedMilestone = { name: m[0], at: m[1] };
    if (m.length > 2) {
      if (m[2] != null) milestone.ref = m[2];
      if (m[3] != null) milestone.amountMinor = m[3];
      if (m[4] != null) milestone.currency = m[4];
      if (m[5] != null) milestone.quantity = m[5];
      if (m[6] != null) milestone.detail = m[6];
    }
    milestones[i] = milestone;
  }
  return { orderId: item[0], status: item[1], updatedAt: item[2], milestones, facts: item[4] };
}

/** An item read from either form in the full form of the contract (ISO times). */
export function fullOrderMilestones(item: ParsedOrderMilestones): OrderMilestones {
  return {
    orderId: item.orderId,
    status: item.status,
    updatedAt: isoTime(item.updatedAt),
    milestones: item.milestones.map((m) => ({ ...m, at: isoTime(m.at) })),
    facts: item.facts,
  };
}

/** A compact item in the full form of the contract. */
export function expandOrderMilestones(item: CompactOrderMilestones): OrderMilestones {
  return fullOrderMilestones(parseCompactOrderMilestones(item));
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
/** An ISO-8601 date-time's shape (the contract's `z.iso.datetime({ offset: true })`, checked by hand: a full scan reads millions). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const isIsoTime = (value: unknown): boolean => typeof value === 'string' && ISO_DATE_TIME.test(value);
const isCompactTime = (value: unknown): boolean => (typeof value === 'number' ? Number.isSafeInteger(value) : isIsoTime(value));
const isRecord = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What is wrong with a full-form page for a reader that compares its items (null: nothing): the
 * contract's structure and the fields the comparison relies on, checked by hand (a full scan reads
 * millions of items, and a schema parse per item costs more than comparing them).
 */
export function milestonesPageProblem(page: unknown): string | null {
  const header = headerProblem(page);
  if (header) return header;
  const { items, format } = page as Record<string, unknown>;
  if (format !== undefined) return `format ${JSON.stringify(format)} is not the full form`;
  if (!Array.isArray(items)) return 'items is not an array';
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Record<string, unknown>;
    if (!isRecord(item)) return `items[${i}] is not an object`;
    if (!isText(item['orderId'])) return `items[${i}].orderId is missing`;
    if (!isText(item['status'])) return `items[${i}].status is missing`;
    if (!isIsoTime(item['updatedAt'])) return `items[${i}].updatedAt is not a date-time`;
    if (!isRecord(item['facts'])) return `items[${i}].facts is not an object`;
    const milestones = item['milestones'];
    if (!Array.isArray(milestones)) return `items[${i}].milestones is not an array`;
    for (let j = 0; j < milestones.length; j++) {
      const m = milestones[j] as Record<string, unknown>;
      const at = `items[${i}].milestones[${j}]`;
      if (!isRecord(m) || !isText(m['name']) || !isIsoTime(m['at'])) return `${at} needs a name and an at`;
      const problem = referenceProblem(m['ref'], m['amountMinor'], undefined, at);
      if (problem) return problem;
    }
  }
  return null;
}

function headerProblem(page: unknown): string | null {
  if (!isRecord(page)) return 'not an object';
  const { service, nextCursor } = page as Record<string, unknown>;
  if (!isText(service)) return 'service is missing';
  if (nextCursor !== null && typeof nextCursor !== 'string') return 'nextCursor must be a string or null';
  return null;
}

/** What is wrong with a compact page's header line, parsed (null: nothing). */
export function compactHeaderProblem(header: unknown): string | null {
  const problem = headerProblem(header);
  if (problem) return problem;
  const { format } = header as Record<string, unknown>;
  return format === COMPACT_FORMAT ? null : `format ${JSON.stringify(format)} is not ${COMPACT_FORMAT}`;
}

/** What is wrong with one item of a compact page, parsed (null: nothing); `at` names it in the answer. */
export function compactItemProblem(item: unknown, at = 'item'): string | null {
  if (!Array.isArray(item) || item.length !== 5) return `${at} is not [orderId, status, updatedAt, milestones, facts]`;
  if (!isText(item[0])) return `${at} has no orderId`;
  if (!isText(item[1])) return `${at} has no status`;
  if (!isCompactTime(item[2])) return `${at} updatedAt is not a time`;
  if (!isRecord(item[4])) return `${at} facts is not an object`;
  const milestones: unknown = item[3];
  if (!Array.isArray(milestones)) return `${at} milestones is not an array`;
  for (let j = 0; j < milestones.length; j++) {
    const m: unknown = milestones[j];
    const where = `${at}.milestones[${j}]`;
    if (!Array.isArray(m) || m.length < 2 || m.length > 7 || !isText(m[0]) || !isCompactTime(m[1])) return `${where} needs a name and a time`;
    const problem = referenceProblem(m[2], m[3], null, where);
    if (problem) return problem;
  }
  return null;
}

/** The optional fields the rules read (a ref names a record, an amount is summed); `absent` is how the form writes one that is not there. */
function referenceProblem(ref: unknown, amountMinor: unknown, absent: null | undefined, at: string): string | null {
  if (ref !== undefined && ref !== absent && typeof ref !== 'string') return `${at}.ref is not a string`;
  if (amountMinor !== undefined && amountMinor !== absent && !Number.isInteger(amountMinor)) return `${at}.amountMinor is not an integer`;
  return null;
}

export class CompactPageError extends Error {
  constructor(problem: string) {
    super(`compact page does not follow the milestones contract: ${problem}`);
    this.name = 'CompactPageError';
  }
}

/**
 * A compact page's text, read lazily: the header at once, each item parsed and checked when the
 * iteration gets to it (a `CompactPageError` then, for an item that breaks the contract).
 */
export class CompactPageReader implements Iterable<ParsedOrderMilestones> {
  readonly service: string;
  readonly nextCursor: string | null;
  private readonly itemsAt: number;

  constructor(private readonly text: string) {
    const end = text.indexOf('\n');
    let header: unknown;
    try {
      header = JSON.parse(end < 0 ? text : text.slice(0, end));
    } catch {
      throw new CompactPageError('the header line is not JSON');
    }
    const problem = compactHeaderProblem(header);
    if (problem) throw new CompactPageError(problem);
    ({ service: this.service, nextCursor: this.nextCursor } = header as CompactPageHeader);
    this.itemsAt = end < 0 ? text.length : end + 1;
  }

  *[Symbol.iterator](): Iterator<ParsedOrderMilestones> {
    const { text } = this;
    for (let at = this.itemsAt, line = 0; at < text.length; line++) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      let item: unknown;
      try {
        item = JSON.parse(text.slice(at, end));
      } catch {
        throw new CompactPageError(`item ${line} is not JSON`);
      }
      const problem = compactItemProblem(item, `item ${line}`);
      if (problem) throw new CompactPageError(problem);
      yield parseCompactOrderMilestones(item as CompactOrderMilestones);
      at = end + 1;
    }
  }
}
