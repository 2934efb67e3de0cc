import type { ParsedOrderMilestones } from '@commerce/contracts';
import { type OrderView, SOURCE_SERVICES, type ServiceAnswer, type SourceService, UNAVAILABLE } from '../rules/order-view';

/**
 * Pages of one service's records, ascending by orderId (each page continuing after the last). A
 * page is any iterable: a compact page parses each record as the join gets to it.
 */
export type SortedStream = AsyncIterable<Iterable<ParsedOrderMilestones>>;

/** A stream broke its ordering promise: what it says after this point cannot be joined. */
export class OutOfOrderError extends Error {
  constructor(service: SourceService, previous: string, next: string) {
    super(`${service}-service returned orderId ${JSON.stringify(next)} after ${JSON.stringify(previous)}: pages must be ascending by orderId (byte order)`);
    this.name = 'OutOfOrderError';
  }
}

type Fetched = { ok: true; result: IteratorResult<Iterable<ParsedOrderMilestones>> } | { ok: false; error: Error };

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * One service's position in the join, one page ahead: the next page is requested as soon as the
 * current one arrives, so HTTP overlaps with the comparison. Only the record at the head is read
 * out of its page, so the records alive at once are the heads and the batch being built.
 */
class StreamCursor {
  private items: Iterator<ParsedOrderMilestones> | null = null;
  private head: ParsedOrderMilestones | null = null;
  private pending: Promise<Fetched> | null;
  private lastId: string | null = null;
  done = false;
  failure: Error | null = null;

  constructor(
    readonly service: SourceService,
    private readonly iterator: AsyncIterator<Iterable<ParsedOrderMilestones>>,
  ) {
    this.pending = this.fetch();
  }

  /**
   * The next record without waiting; undefined when the next page has not arrived yet. A record
   * out of order, or one its page cannot read, fails the stream here, before it can be joined.
   */
  peek(): ParsedOrderMilestones | null | undefined {
    if (this.done) return null;
    if (this.head === null && !this.advance()) return this.done ? null : undefined;
    return this.head;
  }

  /** Waits for the next page with a record (called only when `peek` answered undefined). */
  async load(): Promise<void> {
    while (!this.done && this.head === null) {
      if (this.advance() || this.done) return;
      const fetched = await (this.pending ?? this.fetch());
      this.pending = null;
      if (!fetched.ok) return this.fail(fetched.error);
      if (fetched.result.done) {
        this.done = true;
        return;
      }
      this.items = fetched.result.value[Symbol.iterator]();
      this.pending = this.fetch();
    }
  }

  /** Consumes the record `peek` returned. */
  take(): ParsedOrderMilestones {
    const record = this.head as ParsedOrderMilestones;
    this.head = null;
    this.lastId = record.orderId;
    return record;
  }

  fail(error: Error): void {
    this.failure = error;
    this.done = true;
    this.items = null;
    this.head = null;
    this.pending = null;
    void Promise.resolve(this.iterator.return?.()).catch(() => undefined);
  }

  /** Reads the page's next record into the head; false when the page has no more (or failed). */
  private advance(): boolean {
    if (this.items === null) return false;
    let next: IteratorResult<ParsedOrderMilestones>;
    try {
      next = this.items.next();
    } catch (error) {
      this.fail(asError(error));
      return false;
    }
    if (next.done) {
      this.items = null;
      return false;
    }
    const record = next.value;
    if (this.lastId !== null && !(record.orderId > this.lastId)) {
      this.fail(new OutOfOrderError(this.service, this.lastId, record.orderId));
      return false;
    }
    this.head = record;
    return true;
  }

  private fetch(): Promise<Fetched> {
    // Settled into a value at once, so a page failing before anyone awaits it is never an unhandled rejection.
    return this.iterator.next().then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error: asError(error) }),
    );
  }
}

export interface MergeJoinOptions {
  /** Views per yielded batch. */
  batchSize: number;
  /** Stamped on every view as `observedAt`. */
  now?: () => Date;
  /** Told once when a service stops answering (its records are `unavailable` from there on). */
  onUnavailable?: (service: SourceService, error: Error) => void;
}

/**
 * Joins the five services' streams, each sorted by orderId, into one stream of views in orderId
 * order: for every orderId any service knows, what each service said (its record, null for "no
 * record", or `unavailable` once its stream failed). Memory is bounded by the pages in flight and
 * one batch, whatever the number of orders; records are read out of a page as the join reaches them.
 */
export async function* mergeJoin(
  streams: Partial<Record<SourceService, SortedStream>>,
  options: MergeJoinOptions,
): AsyncGenerator<OrderView[]> {
  const now = options.now ?? (() => new Date());
  const cursors = SOURCE_SERVICES.map((service) => {
    const stream = streams[service];
    if (stream) return new StreamCursor(service, stream[Symbol.asyncIterator]());
    const missing = new StreamCursor(service, emptyIterator());
    missing.fail(new Error('no stream'));
    return missing;
  });
  const reported = new Set<SourceService>();
  const report = () => {
    for (const cursor of cursors) {
      if (cursor.failure && !reported.has(cursor.service) && streams[cursor.service]) {
        reported.add(cursor.service);
        options.onUnavailable?.(cursor.service, cursor.failure);
      }
    }
  };

  let batch: OrderView[] = [];
  // One read time per batch: its pages arrived within moments of each other.
  let observedAt = now().toISOString();
  for (;;) {
    let smallest: string | null = null;
    for (const cursor of cursors) {
      let head = cursor.peek();
      if (head === undefined) {
        await cursor.load();
        head = cursor.peek();
      }
      if (head && (smallest === null || head.orderId < smallest)) smallest = head.orderId;
    }
    report();
    if (smallest === null) break;

    const services = {} as Record<SourceService, ServiceAnswer>;
    for (const cursor of cursors) {
      if (cursor.failure) {
        services[cursor.service] = UNAVAILABLE;
        continue;
      }
      const head = cursor.peek();
      services[cursor.service] = head && head.orderId === smallest ? cursor.take() : null;
    }
    batch.push({ orderId: smallest, observedAt, services });
    if (batch.length >= options.batchSize) {
      yield batch;
      batch = [];
      observedAt = now().toISOString();
    }
  }
  if (batch.length > 0) yield batch;
}

function emptyIterator(): AsyncIterator<Iterable<ParsedOrderMilestones>> {
  return { next: () => Promise.resolve({ done: true, value: undefined }) };
}
