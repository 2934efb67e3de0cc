import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { InvalidInputError } from '@commerce/platform';
import { RELAY_LOCK_KEY } from '../outbox/outbox-relay';

export interface PendingOutboxRow {
  eventId: string;
  eventType: string;
  topic: string;
  orderId: string;
  createdAt: string;
}

export interface OutboxBacklog {
  /** Rows not yet published (all of them, or the order's). */
  count: number;
  /** When the oldest of them was written; null when there is none. */
  oldestCreatedAt: string | null;
  /** The order's pending rows, oldest first (only when asked for one order). */
  items?: PendingOutboxRow[];
  /** When the relay last published a row (only without orderId); null when it never has. */
  lastPublishedAt?: string | null;
  /** Which relay publishes (only without orderId): the holder of the relay's lock, null when none does. */
  relayLock?: RelayLockHolder | null;
}

/** The connection holding the relay's advisory lock, as Postgres sees it. */
export interface RelayLockHolder {
  /** The relay's name for itself: `outbox-relay <host>:<pid>`. */
  application: string;
  /** The Postgres backend serving that connection. */
  backendPid: number;
  clientAddress: string | null;
  /** When that connection was opened (it has led since then at the latest). */
  connectedSince: string;
}

/**
 * What the outbox has not published yet: read-only, beside the dead letters, for the operators'
 * tools (the reconciliation's order explorer). Reads only rows with `published_at IS NULL`, which
 * the outbox's partial index keeps cheap however long the table.
 */
@ApiTags('dead letters')
@Controller('outbox')
export class OutboxPendingController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('pending')
  @ApiOperation({ summary: "How many outbox rows are not yet published and since when, and the relay's last publish; with orderId, that order's rows" })
  async pending(@Query('orderId') orderId?: string): Promise<OutboxBacklog> {
    if (orderId !== undefined && orderId.trim() === '') throw new InvalidInputError([{ field: 'orderId', message: 'must not be empty' }]);
    const [summary]: Array<{ count: number; oldest: Date | null }> = await this.dataSource.query(
      `SELECT count(*)::int AS count, min(created_at) AS oldest FROM outbox_message
        WHERE published_at IS NULL AND ($1::text IS NULL OR message_key = $1::text)`,
      [orderId ?? null],
    );
    const backlog: OutboxBacklog = { count: summary.count, oldestCreatedAt: summary.oldest ? summary.oldest.toISOString() : null };
    if (orderId === undefined) {
      // Newest rows first by id: the pending ones are few at the tail, so this stops early.
      const [last]: Array<{ published_at: Date }> = await this.dataSource.query(
        'SELECT published_at FROM outbox_message WHERE published_at IS NOT NULL ORDER BY id DESC LIMIT 1',
      );
      return { ...backlog, lastPublishedAt: last ? last.published_at.toISOString() : null, relayLock: await this.relayLockHolder() };
    }
    const rows: Array<{ event_id: string; event_type: string; topic: string; message_key: string; created_at: Date }> = await this.dataSource.query(
      `SELECT event_id, event_type, topic, message_key, created_at FROM outbox_message
        WHERE published_at IS NULL AND message_key = $1 ORDER BY id LIMIT 100`,
      [orderId],
    );
    backlog.items = rows.map((row) => ({ eventId: row.event_id, eventType: row.event_type, topic: row.topic, orderId: row.message_key, createdAt: row.created_at.toISOString() }));
    return backlog;
  }

  /** Postgres keeps a bigint advisory key as classid (high 32 bits) and objid (low 32 bits), objsubid 1. */
  private async relayLockHolder(): Promise<RelayLockHolder | null> {
    const [row]: Array<{ pid: number; application_name: string; client_addr: string | null; backend_start: Date }> = await this.dataSource.query(
      `SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr, a.backend_start
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = ($1::bigint >> 32)::oid AND l.objid = ($1::bigint & 4294967295)::oid`,
      [RELAY_LOCK_KEY],
    );
    if (!row) return null;
    return { application: row.application_name, backendPid: row.pid, clientAddress: row.client_addr, connectedSince: row.backend_start.toISOString() };
  }
}
