import http from 'node:http';
import https from 'node:https';
import { COMPACT_CONTENT_TYPE, COMPACT_FORMAT, CompactPageReader, milestonesPageProblem, type OrderMilestones, type ParsedOrderMilestones } from '@commerce/contracts';
import { API_KEY_HEADER } from '@commerce/platform';
import type { SourceService } from '../rules/order-view';

export interface MilestoneClientOptions {
  service: SourceService;
  /** Base URL of the service, e.g. http://127.0.0.1:3001 */
  baseUrl: string;
  /** Sent as `X-Api-Key` (a read key of the service suffices). @defaultValue none */
  apiKey?: string;
  /** Per attempt. @defaultValue 10000 */
  timeoutMs?: number;
  /** Attempts after the first, with exponential backoff. @defaultValue 3 */
  retries?: number;
  /** @defaultValue 200 (doubling per attempt) */
  retryDelayMs?: number;
  /** orderIds per `?orderIds=` request. @defaultValue 500 */
  batchSize?: number;
  /** Longest URL sent; a batch is cut earlier when its ids would make it longer. @defaultValue 14000 */
  maxUrlLength?: number;
  /** Items per page of the updatedSince mode (the contract allows 1000). @defaultValue 1000 */
  pageSize?: number;
  /** Items per page of the afterOrderId mode, a full scan's (the contract allows 5000). @defaultValue 5000 */
  rangePageSize?: number;
  /** Told of each failed attempt before a retry. @defaultValue none */
  onRetry?: (details: { service: SourceService; attempt: number; error: unknown }) => void;
}

/**
 * A page as read, whichever form it came in. A compact page's items are parsed as they are
 * iterated (once: the page keeps its text, not its items), so a full scan holds few parsed items
 * at a time; an item that breaks the contract throws when the iteration gets to it.
 */
export interface ItemPage {
  items: Iterable<ParsedOrderMilestones>;
  nextCursor: string | null;
}

/** The service did not give a usable answer after its retries: the caller records it as unavailable. */
export class ServiceUnavailableError extends Error {
  constructor(
    readonly service: SourceService,
    readonly reason: string,
  ) {
    super(`${service}-service did not answer GET /milestones: ${reason}`);
    this.name = 'ServiceUnavailableError';
  }
}

/** A 4xx answer: our request is wrong (or the service does not support the mode); retrying cannot help. */
class RequestRejected extends Error {}

/** How long a kept-alive socket may stay idle (the agent's socket timeout, which only closes free sockets). */
const IDLE_SOCKET_MS = 4_000;

/** `?orderIds=` requests one client has in flight at once. */
const BATCHES_IN_FLIGHT = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One service's `GET /milestones`, over HTTP: a timeout per attempt, retries with exponential
 * backoff on network errors, timeouts and 5xx, and every page validated against the contract (a
 * malformed page is the service not answering, never "no milestones"). Pages are asked for in the
 * compact form (half the bytes, times as epoch ms: @commerce/contracts milestones-compact.ts); a
 * service answering in the full form is read as well.
 */
export class MilestoneClient {
  readonly service: SourceService;
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly batchSize: number;
  private readonly maxUrlLength: number;
  readonly pageSize: number;
  readonly rangePageSize: number;
  private readonly onRetry: NonNullable<MilestoneClientOptions['onRetry']>;
  // Idle sockets are closed before a Node server closes them (its keepAliveTimeout is 5 s): reusing
  // one the server was closing at that moment failed with ECONNRESET and cost a retry (seen on the
  // repair jobs' checks, a few seconds apart, during a full scan).
  private readonly httpAgent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

  constructor(options: MilestoneClientOptions) {
    this.service = options.service;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.headers = { accept: 'application/json', ...(options.apiKey ? { [API_KEY_HEADER]: options.apiKey } : {}) };
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.batchSize = options.batchSize ?? 500;
    this.maxUrlLength = options.maxUrlLength ?? 14_000;
    this.pageSize = options.pageSize ?? 1000;
    this.rangePageSize = options.rangePageSize ?? 5000;
    this.onRetry = options.onRetry ?? (() => undefined);
  }

  /**
   * The records of these orders (unknown ids are absent from the map), in as few requests as the
   * limits allow, two at a time: the service derives each batch live, mostly waiting on its
   * database, and a run's batch of 5000 orders is ten requests per service.
   */
  async byOrderIds(orderIds: readonly string[]): Promise<Map<string, ParsedOrderMilestones>> {
    const found = new Map<string, ParsedOrderMilestones>();
    const batches = this.batches(orderIds);
    let next = 0;
    const fetchInTurn = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        try {
          const page = await this.get({ orderIds: batch.join(',') }, 'parsed');
          for (const item of page.items) found.set(item.orderId, item);
        } catch (error) {
          next = batches.length; // the answer is lost anyway: ask no more
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batches.length) }, fetchInTurn));
    return found;
  }

  /** Pages of the orders changed at or after `since`, oldest change first. */
  async *changedSince(since: Date): AsyncGenerator<ParsedOrderMilestones[]> {
    let cursor: string | null = null;
    do {
      const page: { items: ParsedOrderMilestones[]; nextCursor: string | null } = await this.get(
        {
          updatedSince: since.toISOString(),
          limit: String(this.pageSize),
          ...(cursor ? { cursor } : {}),
        },
        'parsed',
      );
      if (page.items.length > 0) yield page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  /**
   * Every record, ordered by orderId, in keyset pages starting after `afterOrderId`:
   * `GET /milestones?afterOrderId=&limit=` (nextCursor = the last orderId of the page, null at the
   * end). Pages are read lazily (`ItemPage`): a full scan reads a million orders this way.
   */
  async *inOrderIdOrder(afterOrderId: string | null): AsyncGenerator<ItemPage> {
    let after = afterOrderId;
    for (;;) {
      const page = await this.get({ afterOrderId: after ?? '', limit: String(this.rangePageSize) }, 'lazy');
      yield page;
      // A cursor that does not move would ask for the same page for ever.
      if (page.nextCursor === null || page.nextCursor === after) return;
      after = page.nextCursor;
    }
  }

  /** Splits ids into batches of at most `batchSize` ids whose URL stays under `maxUrlLength`. */
  batches(orderIds: readonly string[]): string[][] {
    const base = `${this.baseUrl}/milestones?orderIds=`.length;
    const batches: string[][] = [];
    let current: string[] = [];
    let length = base;
    for (const id of orderIds) {
      const added = encodeURIComponent(id).length + (current.length > 0 ? 3 : 0); // %2C
      if (current.length > 0 && (current.length >= this.batchSize || length + added > this.maxUrlLength)) {
        batches.push(current);
        current = [];
        length = base;
      }
      length += encodeURIComponent(id).length + (current.length > 0 ? 3 : 0);
      current.push(id);
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }

  /** One page, retried; `parsed`: every item parsed and checked within the retries, `lazy`: as iterated. */
  private async get(query: Record<string, string>, items: 'parsed'): Promise<{ items: ParsedOrderMilestones[]; nextCursor: string | null }>;
  private async get(query: Record<string, string>, items: 'lazy'): Promise<ItemPage>;
  private async get(query: Record<string, string>, items: 'parsed' | 'lazy'): Promise<ItemPage> {
    const url = `${this.baseUrl}/milestones?${new URLSearchParams({ ...query, format: COMPACT_FORMAT }).toString()}`;
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await sleep(this.retryDelayMs * 2 ** (attempt - 1));
      try {
        const page = await this.attempt(url);
        return items === 'parsed' ? { items: [...page.items], nextCursor: page.nextCursor } : page;
      } catch (error) {
        lastError = error;
        if (error instanceof RequestRejected) break;
        if (attempt < this.retries) this.onRetry({ service: this.service, attempt, error });
      }
    }
    throw new ServiceUnavailableError(this.service, (lastError as Error).message);
  }

  private async attempt(url: string): Promise<ItemPage> {
    const { status, text, type } = await this.request(url);
    if (status >= 400 && status < 500) throw new RequestRejected(`HTTP ${status} ${text.slice(0, 300)}`);
    if (status < 200 || status >= 300) throw new Error(`HTTP ${status} ${text.slice(0, 300)}`);
    return readPage(text, type);
  }

  /**
   * One GET with node:http on a keep-alive agent, the whole answer as text within `timeoutMs`. Not
   * fetch: a full scan reads thousands of half-megabyte pages, and fetch's web streams cost more
   * CPU per page on both ends (docs/operations.md).
   */
  private request(url: string): Promise<{ status: number; text: string; type: string }> {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.get(
        target,
        { agent: target.protocol === 'https:' ? this.httpsAgent : this.httpAgent, signal: AbortSignal.timeout(this.timeoutMs), headers: this.headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            if (!response.complete) return reject(new Error('the answer was cut off'));
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), type: response.headers['content-type'] ?? '' });
          });
        },
      );
      request.on('error', reject);
    });
  }

  /** Closes the kept-alive connections (a scan thread ends with its clients). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/**
 * A `GET /milestones` answer as items to compare, by its content type: a compact page is read
 * lazily, a full-form page (a service of an older version) parsed and checked whole. A page that
 * breaks the contract throws (the caller retries, then reports the service as not answering).
 */
export function readPage(text: string, contentType: string): ItemPage {
  if (contentType.startsWith(COMPACT_CONTENT_TYPE)) {
    const reader = new CompactPageReader(text);
    return { items: reader, nextCursor: reader.nextCursor };
  }
  const body: unknown = JSON.parse(text);
  const problem = milestonesPageProblem(body);
  if (problem) throw new Error(`page does not follow the milestones contract: ${problem}`);
  const page = body as { items: OrderMilestones[]; nextCursor: string | null };
  return { items: page.items, nextCursor: page.nextCursor };
}
