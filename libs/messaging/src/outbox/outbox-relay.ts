import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createLogger, eventMetrics, type Logger, withPublishSpans } from '@commerce/platform';
import type { MessageProducer, OutgoingMessage } from '../kafka/ports';
import { backoffDelay, type RetryPolicy } from '../retry';

export interface OutboxRelayOptions {
  /** Rows published per Kafka batch. @defaultValue 500 */
  batchSize?: number;
  /** Poll interval when no insert notification arrives (safety net). @defaultValue 1000 */
  idleMs?: number;
  /** Backoff while the broker or the database is down. */
  retry?: RetryPolicy;
  /** Postgres URL for LISTEN (wakes the relay on commit); omit to rely on polling. */
  listenUrl?: string;
  /** Published rows are deleted after this long; kept meanwhile for republish repairs. @defaultValue 7 days */
  retentionMs?: number;
}

/** Arbitrary constant: one active relay per database keeps per-key order across replicas. */
const RELAY_LOCK_KEY = 7_231_554_902;

interface PendingRow {
  id: string;
  topic: string;
  message_key: string;
  event_type: string;
  envelope: string;
  headers: Record<string, string>;
}

/**
 * Publishes committed outbox rows to Kafka in id order and marks them sent in the same
 * transaction that locked them. Killed mid-batch, the rows stay pending and go out again
 * (at least once); consumers' inboxes absorb the duplicates.
 */
export class OutboxRelay {
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly retry: RetryPolicy;
  private readonly retentionMs: number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A commit was notified while a batch was in flight: the next idle must not wait. */
  private notified = false;
  private wakeOnCommit = false;
  private listener: Client | null = null;
  private lastPrune = 0;

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
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  /** Stops after the batch in flight; `flush` first publishes everything already committed. */
  async stop({ flush = true }: { flush?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    if (flush) {
      try {
        while ((await this.publishBatch()) > 0);
      } catch (error) {
        this.log.warn({ err: error }, 'outbox not fully flushed at shutdown; rows stay pending for the next start');
      }
    }
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /**
   * Publishes one batch. Returns the number of rows published (0 when none are pending or
   * another relay holds the lock).
   */
  async publishBatch(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!locked) {
        await runner.commitTransaction();
        return 0;
      }
      const rows: PendingRow[] = await runner.query(
        `SELECT id, topic, message_key, event_type, envelope::text AS envelope, headers
           FROM outbox_message WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.batchSize],
      );
      if (rows.length === 0) {
        await runner.commitTransaction();
        return 0;
      }
      const messages: OutgoingMessage[] = rows.map((r) => ({
        topic: r.topic,
        key: r.message_key,
        value: r.envelope,
        headers: r.headers,
      }));
      await withPublishSpans(messages, (traced) => this.producer.send(traced));
      await runner.query('UPDATE outbox_message SET published_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      await runner.commitTransaction();
      for (const r of rows) eventMetrics.produced.inc({ type: r.event_type });
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  async backlog(): Promise<number> {
    const [{ count }] = await this.dataSource.query(
      'SELECT count(*)::int AS count FROM outbox_message WHERE published_at IS NULL',
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
        eventMetrics.outboxBacklog.set(await this.backlog());
        await this.idle(this.idleMs);
      } catch (error) {
        failures += 1;
        eventMetrics.relayFailures.inc();
        const delay = backoffDelay(this.retry, failures);
        this.log.warn({ err: error, attempt: failures, retryInMs: delay }, 'outbox relay failed; rows stay pending');
        await this.idle(delay, { untilCommit: false });
        if (this.listener === null && this.running) await this.listen();
      }
    }
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

  private async pruneIfDue(): Promise<void> {
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(
      `DELETE FROM outbox_message WHERE published_at < now() - ($1::bigint * interval '1 millisecond')`,
      [this.retentionMs],
    );
  }

  private async listen(): Promise<void> {
    if (!this.options.listenUrl) return;
    const client = new Client({ connectionString: this.options.listenUrl });
    client.on('notification', () => {
      if (this.wake && this.wakeOnCommit) this.wake();
      else this.notified = true;
    });
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'outbox LISTEN connection lost; polling until it is back');
      this.listener = null;
      client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query('LISTEN outbox_message');
      this.listener = client;
    } catch (error) {
      this.log.warn({ err: error }, 'outbox LISTEN unavailable; polling');
      await client.end().catch(() => undefined);
    }
  }
}

