import type { DataSource } from 'typeorm';
import { NotFoundError } from '@commerce/platform';
import type { EventProcessor, ProcessOutcome } from '../consumer/event-processor';

export interface DeadLetter {
  id: string;
  eventId: string | null;
  eventType: string | null;
  orderId: string | null;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  reason: string;
  attempts: number;
  failedAt: string;
  replayedAt: string | null;
  replayOutcome: string | null;
  messageValue: string | null;
  headers: Record<string, string>;
}

export interface ReplayResult {
  id: string;
  outcome: ProcessOutcome | 'failed';
  error?: string;
}

/** Lists a service's dead letters and replays chosen ones through the normal inbox path. */
export class DeadLetters {
  constructor(
    private readonly dataSource: DataSource,
    private readonly processor: EventProcessor,
  ) {}

  /** Oldest first; `orderId` keeps one order's (what the reconciliation's order explorer asks for). */
  async list(options: { includeReplayed?: boolean; limit?: number; afterId?: string; orderId?: string } = {}): Promise<DeadLetter[]> {
    const rows = await this.dataSource.query(
      `SELECT id::text, event_id, event_type, order_id, source_topic, source_partition, source_offset, reason,
              attempts, failed_at, replayed_at, replay_outcome, message_value, headers
         FROM dead_letter
        WHERE ($1::boolean OR replayed_at IS NULL) AND id > $2::bigint AND ($4::text IS NULL OR order_id = $4::text)
        ORDER BY id LIMIT $3`,
      [options.includeReplayed ?? false, options.afterId ?? '0', Math.min(options.limit ?? 100, 1000), options.orderId ?? null],
    );
    return rows.map(
      (r: Record<string, unknown>): DeadLetter => ({
        id: r['id'] as string,
        eventId: r['event_id'] as string | null,
        eventType: r['event_type'] as string | null,
        orderId: r['order_id'] as string | null,
        sourceTopic: r['source_topic'] as string,
        sourcePartition: r['source_partition'] as number,
        sourceOffset: r['source_offset'] as string,
        reason: r['reason'] as string,
        attempts: r['attempts'] as number,
        failedAt: (r['failed_at'] as Date).toISOString(),
        replayedAt: r['replayed_at'] ? (r['replayed_at'] as Date).toISOString() : null,
        replayOutcome: r['replay_outcome'] as string | null,
        messageValue: r['message_value'] as string | null,
        headers: r['headers'] as Record<string, string>,
      }),
    );
  }

  /** Applies the parked message now; it still goes through validation and the inbox (applied once). */
  async replay(id: string): Promise<ReplayResult> {
    const [row] = await this.dataSource.query(
      `SELECT id::text, source_topic, source_partition, source_offset, message_key, message_value, headers
         FROM dead_letter WHERE id = $1::bigint`,
      [id],
    );
    if (!row) throw new NotFoundError('Dead letter', id);
    let result: ReplayResult;
    try {
      const outcome = await this.processor.process(
        {
          topic: row.source_topic,
          partition: row.source_partition,
          offset: row.source_offset,
          key: row.message_key,
          value: row.message_value,
          headers: row.headers,
        },
        'replay',
      );
      result = { id, outcome };
    } catch (error) {
      result = { id, outcome: 'failed', error: `${(error as Error).name}: ${(error as Error).message}` };
    }
    await this.dataSource.query(
      `UPDATE dead_letter SET replayed_at = CASE WHEN $2 = 'failed' THEN replayed_at ELSE now() END,
              replay_outcome = $3, attempts = attempts + 1 WHERE id = $1::bigint`,
      [id, result.outcome, result.error ? `failed: ${result.error}` : result.outcome],
    );
    return result;
  }
}
