import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '@commerce/platform';
import type { DeliveryState } from './webhook-retry';
import { displayUrl } from './webhook-settings';

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A delivery the worker holds (row-locked) while it tries it. */
export interface ClaimedDelivery {
  id: string;
  endpoint: string;
  eventType: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

/** One attempt as it is recorded. */
export interface AttemptRecord {
  attempt: number;
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const LIST_COLUMNS = `d.id, d.endpoint, d.event_type, d.case_id, d.order_id, d.status, d.attempts, d.max_attempts, d.next_attempt_at,
                      d.last_attempt_at, d.last_status_code, d.last_error, d.created_at, d.delivered_at`;

/** The webhook_delivery and webhook_attempt tables: what the worker claims and records, what the API lists. */
@Injectable()
export class WebhookDeliveries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The oldest due delivery that is its endpoint's oldest pending one, row-locked; deliveries
   * another replica (or slot) holds are skipped, and so is the rest of their endpoint's queue,
   * whose head is still PENDING: an endpoint gets one delivery at a time, in order.
   */
  async claimNext(manager: EntityManager, now: Date): Promise<ClaimedDelivery | null> {
    const [row]: Array<{ id: string; endpoint: string; event_type: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }> =
      await manager.query(
        `SELECT d.id, d.endpoint, d.event_type, d.payload, d.attempts, d.max_attempts
           FROM webhook_delivery d
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1
            AND NOT EXISTS (SELECT 1 FROM webhook_delivery e WHERE e.endpoint = d.endpoint AND e.status = 'PENDING' AND e.seq < d.seq)
          ORDER BY d.seq
          LIMIT 1
          FOR UPDATE SKIP LOCKED`,
        [now],
      );
    if (!row) return null;
    return { id: row.id, endpoint: row.endpoint, eventType: row.event_type, payload: row.payload, attempts: row.attempts, maxAttempts: row.max_attempts };
  }

  async record(manager: EntityManager, delivery: ClaimedDelivery, attempt: AttemptRecord, state: DeliveryState): Promise<void> {
    const nextAttemptAt = state.status === 'PENDING' ? state.nextAttemptAt : null;
    const outcome = state.status === 'DELIVERED' ? 'delivered' : state.status === 'PENDING' ? 'retrying' : 'failed';
    await manager.query(
      `INSERT INTO webhook_attempt (delivery_id, attempt, at, status_code, error, duration_ms, outcome, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [delivery.id, attempt.attempt, attempt.at, attempt.statusCode, attempt.error, attempt.durationMs, outcome, nextAttemptAt],
    );
    await manager.query(
      `UPDATE webhook_delivery
          SET status = $2, attempts = $3, next_attempt_at = COALESCE($4, next_attempt_at), last_attempt_at = $5,
              last_status_code = $6, last_error = $7, delivered_at = CASE WHEN $2 = 'DELIVERED' THEN $5 ELSE delivered_at END
        WHERE id = $1`,
      [delivery.id, state.status, attempt.attempt, nextAttemptAt, attempt.at, attempt.statusCode, attempt.error],
    );
  }

  /** Deliveries newest first, of one status or all. */
  async list(filter: { status?: DeliveryStatus; limit: number }) {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT ${LIST_COLUMNS} FROM webhook_delivery d WHERE ($1::text IS NULL OR d.status = $1) ORDER BY d.seq DESC LIMIT $2`,
      [filter.status ?? null, filter.limit],
    );
    return rows.map(deliveryView);
  }

  /** One delivery with its payload and every attempt. */
  async get(id: string) {
    const [row]: Array<DeliveryRow & { payload: unknown }> = await this.dataSource.query(`SELECT ${LIST_COLUMNS}, d.payload FROM webhook_delivery d WHERE d.id = $1`, [id]);
    if (!row) throw new NotFoundError('Webhook delivery', id);
    const attempts: Array<{ attempt: number; at: Date; status_code: number | null; error: string | null; duration_ms: number; outcome: string; next_attempt_at: Date | null }> =
      await this.dataSource.query('SELECT * FROM webhook_attempt WHERE delivery_id = $1 ORDER BY attempt', [id]);
    return {
      ...deliveryView(row),
      payload: row.payload,
      /** Every attempt, first to last (`attempts` is their count). */
      history: attempts.map((a) => ({
        attempt: a.attempt,
        at: a.at.toISOString(),
        statusCode: a.status_code,
        error: a.error,
        durationMs: a.duration_ms,
        outcome: a.outcome,
        nextAttemptAt: a.next_attempt_at?.toISOString() ?? null,
      })),
    };
  }

  /** Per endpoint: how many deliveries are pending, delivered and failed. */
  async countsByEndpoint(): Promise<Map<string, Record<DeliveryStatus, number>>> {
    const rows: Array<{ endpoint: string; status: DeliveryStatus; n: number }> = await this.dataSource.query(
      'SELECT endpoint, status, count(*)::int AS n FROM webhook_delivery GROUP BY 1, 2',
    );
    const counts = new Map<string, Record<DeliveryStatus, number>>();
    for (const row of rows) {
      const entry = counts.get(row.endpoint) ?? { PENDING: 0, DELIVERED: 0, FAILED: 0 };
      entry[row.status] = row.n;
      counts.set(row.endpoint, entry);
    }
    return counts;
  }

  /**
   * Puts a failed (or delivered) delivery back in its endpoint's queue, due now, with
   * `moreAttempts` further attempts; recorded in pipe_audit with who and why.
   */
  async redeliver(id: string, moreAttempts: number, audit: { actor: string; reason: string }, now: Date) {
    await this.dataSource.transaction(async (manager) => {
      const [row]: Array<{ status: DeliveryStatus; event_type: string }> = await manager.query(
        'SELECT status, event_type FROM webhook_delivery WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!row) throw new NotFoundError('Webhook delivery', id);
      if (row.status === 'PENDING') {
        throw new ConflictError('delivery-pending', 'The delivery is already waiting', `webhook delivery ${id} is PENDING: it will be tried again without you`, { id });
      }
      await manager.query(
        `UPDATE webhook_delivery SET status = 'PENDING', next_attempt_at = $2, max_attempts = attempts + $3 WHERE id = $1`,
        [id, now, moreAttempts],
      );
      await manager.query(
        `INSERT INTO pipe_audit (actor, service, action, subject, event_type, outcome, reason, detail)
         VALUES ($1, 'webhooks', 'redeliver-webhook', $2, $3, 'queued', $4, $5::jsonb)`,
        [audit.actor, id, row.event_type, audit.reason, JSON.stringify({ previousStatus: row.status })],
      );
    });
    return this.get(id);
  }
}

interface DeliveryRow {
  id: string;
  endpoint: string;
  event_type: string;
  case_id: string;
  order_id: string;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

function deliveryView(row: DeliveryRow) {
  return {
    id: row.id,
    endpoint: displayUrl(row.endpoint),
    event: row.event_type,
    caseId: row.case_id,
    orderId: row.order_id,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextAttemptAt: row.status === 'PENDING' ? row.next_attempt_at.toISOString() : null,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}
