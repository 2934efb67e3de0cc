import { hostname } from 'node:os';
import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createLogger, eventMetrics, type Logger, PreparingClient, SessionAdvisoryLock, sessionOf, withPublishSpans } from '@commerce/platform';
import type { MessageProducer, OutgoingMessage } from '../kafka/ports';
import { backoffDelay, type RetryPolicy } from '../retry';

export interface OutboxRelayOptions {
  /** Rows published per Kafka batch. @defaultValue 500 */
  batchSize?: number;
  /** Poll interval when no insert notification arrives (safety net), and how often a standby relay asks to take over. @defaultValue 1000 */
  idleMs?: number;
  /** Backoff while the broker or the database is down. */
  retry?: RetryPolicy;
  /** Postgres URL of the relay's own connection (its lock, LISTEN and publishing). @defaultValue the data source's url */
  listenUrl?: string;
  /** Published rows are deleted after this long; kept meanwhile for republish repairs. @defaultValue 7 days */
  retentionMs?: number;
}

/** Arbitrary constant, as deployed: the pipes page reads who holds it from pg_locks. */
export const RELAY_LOCK_KEY = 7_231_554_902;

/** One active relay per database keeps per-key order across replicas. */
const RELAY_LOCK = new SessionAdvisoryLock(RELAY_LOCK_KEY);

interface PendingRow {
  id: string;
  topic: string;
  message_key: string;
  event_type: string;
  envelope: string;
  headers: Record<string, string>;
}

/**
 * Publishes committed outbox rows to Kafka in id order, then marks them sent. One relay per
 * database publishes: the one holding a session advisory lock on its own connection, which
 * also LISTENs for commits. A cycle is one statement: it marks the rows the previous cycle sent
 * and selects the next ones, so a sent batch stays unmarked until the next cycle (at most
 * `idleMs`; `backlog()` does not count it). When that connection dies (its process killed),
 * Postgres releases the lock and a standby takes over within `idleMs`. Killed between the send
 * and the mark, the rows go out again (at least once); consumers' inboxes absorb the duplicates.
 */
export class OutboxRelay {
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly retry: RetryPolicy;
  private readonly retentionMs: number;
  private readonly url: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A commit was notified while a batch was in flight: the next idle must not wait. */
  private notified = false;
  private wakeOnCommit = false;
  private connection: Client | null = null;
  private leading = false;
  private lastPrune = 0;
  /** Ids sent to Kafka and not yet marked published: the next cycle's statement marks them. */
  private sent: string[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: MessageProducer,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.log = createLogger('outbox-relay');
    this.batchSize = options.batchSize ?? 500;
    this.idleMs = options.idleMs ?? 1000;
    this.retry = options.retry ?? { maxAttempts: Infinity, initialDelayMs: 200, maxDelayMs: 5000 };
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3600 * 1000;
    const url = options.listenUrl ?? (dataSource.options as { url?: string }).url;
    if (!url) throw new Error('OutboxRelay needs a Postgres URL: set listenUrl or give the data source a url');
    this.url = url;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in flight; `flush` first publishes everything already committed. */
  async stop({ flush = true }: { flush?: boolean } = {}): Promise<void> {
    if (this.running) {
      this.running = false;
      this.wake?.();
      await this.loop;
      try {
        if (flush) while ((await this.publishBatch()) > 0);
      } catch (error) {
        this.log.warn({ err: error }, 'outbox not fully flushed at shutdown; rows stay pending for the next start');
      }
    }
    await this.markSent().catch((error: unknown) => this.log.warn({ err: error }, 'last batch sent but not marked; a relay sends it again'));
    await this.disconnect(); // releases the lock for a standby
  }

  /**
   * Publishes one batch. Returns the number of rows published (0 when none are pending or
   * another relay publishes for this database).
   */
  async publishBatch(): Promise<number> {
    const rows = await this.onConnection(async (connection) => {
      if (!(await this.lead(connection))) return [];
      // The rows sent last cycle are marked and the next ones selected in one round trip; the
      // select reads the snapshot before the mark, hence the explicit exclusion.
      const selected = await connection.query<PendingRow>(
        `WITH marked AS (UPDATE outbox_message SET published_at = now() WHERE id = ANY($2::bigint[]))
         SELECT id, topic, message_key, event_type, envelope::text AS envelope, headers
           FROM outbox_message WHERE published_at IS NULL AND id <> ALL($2::bigint[]) ORDER BY id LIMIT $1`,
        [this.batchSize, this.sent],
      );
      this.sent = [];
      return selected.rows;
    });
    if (rows.length === 0) return 0;
    const messages: OutgoingMessage[] = rows.map((r) => ({ topic: r.topic, key: r.message_key, value: r.envelope, headers: r.headers }));
    await withPublishSpans(messages, (traced) => this.producer.send(traced)); // a broker failure keeps the connection, and the lead
    this.sent = rows.map((r) => r.id);
    for (const r of rows) eventMetrics.produced.inc({ type: r.event_type });
    return rows.length;
  }

  /** Marks what the last cycle sent now instead of with the next cycle (at shutdown). */
  private async markSent(): Promise<void> {
    if (this.sent.length === 0 || !this.connection || !this.leading) return;
    await this.connection.query('UPDATE outbox_message SET published_at = now() WHERE id = ANY($1::bigint[])', [this.sent]);
    this.sent = [];
  }

  /** Rows not yet sent (the ones sent and still unmarked are not counted). */
  async backlog(): Promise<number> {
    const [{ count }] = await this.dataSource.query(
      'SELECT count(*)::int AS count FROM outbox_message WHERE published_at IS NULL AND id <> ALL($1::bigint[])',
      [this.sent],
    );
    return count;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const published = await this.publishBatch();
        if (failures > 0) this.log.info({ afterFailures: failures }, 'outbox relay publishing again');
        failures = 0;
        if (published === this.batchSize) continue;
        await this.pruneIfDue();
        // A standby only asks for the lead every idleMs, whatever commits it hears of.
        await this.idle(this.idleMs, { untilCommit: this.leading });
      } catch (error) {
        failures += 1;
        eventMetrics.relayFailures.inc();
        const delay = backoffDelay(this.retry, failures);
        this.log.warn({ err: error, attempt: failures, retryInMs: delay }, 'outbox relay failed; rows stay pending');
        await this.idle(delay, { untilCommit: false });
      }
    }
  }

  private async connect(): Promise<Client> {
    if (this.connection) return this.connection;
    // Named by host and pid: the operators' pipes page says which replica holds the lock. Its two
    // statements a cycle run prepared, as on the service's pool.
    const application_name = `outbox-relay ${hostname()}:${process.pid}`.slice(0, 63);
    const client: Client = new PreparingClient({ connectionString: this.url, application_name });
    client.on('notification', () => {
      if (this.wake && this.wakeOnCommit) this.wake();
      else this.notified = true;
    });
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'outbox relay connection lost; reconnecting');
      if (this.connection === client) void this.disconnect();
    });
    try {
      await client.connect();
      await client.query('LISTEN outbox_message');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.connection = client;
    return client;
  }

  /** Work on the relay's connection; after any database error it starts again on a new one. */
  private async onConnection<T>(work: (connection: Client) => Promise<T>): Promise<T> {
    const connection = await this.connect();
    try {
      return await work(connection);
    } catch (error) {
      await this.disconnect();
      throw error;
    }
  }

  private async lead(connection: Client): Promise<boolean> {
    if (this.leading) return true;
    // Held for as long as this connection lives: `disconnect` (or the process dying) lets it go.
    this.leading = await RELAY_LOCK.tryAcquire(sessionOf(connection));
    if (this.leading) this.log.info('this relay publishes the outbox');
    return this.leading;
  }

  private async disconnect(): Promise<void> {
    const client = this.connection;
    this.connection = null;
    this.leading = false;
    await client?.end().catch(() => undefined);
  }

  /** Deletes published rows past their retention, at most once a minute. */
  private async pruneIfDue(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    await this.dataSource.query(`DELETE FROM outbox_message WHERE published_at < now() - ($1::bigint * interval '1 millisecond')`, [
      this.retentionMs,
    ]);
  }

  /**
   * Waits `ms`, or less: `stop()` always cuts the wait short, and so does a commit notification
   * unless we are backing off from a failure (then commits must not turn backoff into a busy loop).
   */
  private idle(ms: number, { untilCommit = true }: { untilCommit?: boolean } = {}): Promise<void> {
    if (untilCommit && this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wake = null;
        this.wakeOnCommit = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = finish;
      this.wakeOnCommit = untilCommit;
    });
  }
}
