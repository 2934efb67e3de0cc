import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { DeadLetter, OutboxBacklog, ReplayResult } from '@commerce/messaging';
import { brokerList, InvalidInputError } from '@commerce/platform';
import type { ServiceConfig } from '../config';
import { SOURCE_SERVICES, type SourceService } from '../rules/order-view';
import { RECON_CONFIG } from '../settings.module';
import { LazyAdmin } from '../sources/lazy-admin';
import { clientOptions } from '../sources/milestone-sources';

/** Dead letters listed per service (and replayed by type) at most. */
const DEAD_LETTERS_SHOWN = 200;

export interface PartitionLag {
  topic: string;
  partition: number;
  committed: string;
  end: string;
  lag: number;
}

/** One service's pipes: what its outbox holds back, how far its consumer is behind, what it parked. */
export type ServicePipesState =
  | {
      service: SourceService;
      outbox: OutboxBacklog;
      consumer: { groupId: string; lag: PartitionLag[]; totalLag: number } | { groupId: string; unavailable: string };
      deadLetters: { count: number; byType: Record<string, number>; items: DeadLetter[] };
    }
  | { service: SourceService; unavailable: string };

/**
 * The pipes page: per service, its outbox backlog and last publish (its messaging lib's
 * `/outbox/pending`), its consumer group's lag per partition (the broker's committed offsets
 * against each partition's end), and its dead letters, with replays recorded in `pipe_audit`.
 */
@Injectable()
export class PipesService implements OnApplicationShutdown {
  private readonly kafka: Kafka;
  private readonly admins: LazyAdmin;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECON_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.kafka = new Kafka({ clientId: 'reconciliation-pipes', brokers: brokerList(config.KAFKA_BROKERS), logLevel: logLevel.NOTHING });
    this.admins = new LazyAdmin(this.kafka);
  }

  overview(): Promise<ServicePipesState[]> {
    return Promise.all(SOURCE_SERVICES.map((service) => this.ofService(service)));
  }

  /** Replays the dead letters named (or every pending one of `eventType`) through the service, one audit row each. */
  async replay(service: SourceService, request: { ids?: string[]; eventType?: string; reason: string }, actor: string) {
    let ids = request.ids ?? [];
    if (ids.length === 0) {
      if (!request.eventType) throw new InvalidInputError([{ field: 'ids', message: 'give the dead letters to replay, or an eventType' }]);
      const pending = await this.get<DeadLetter[]>(`${this.baseUrl(service)}/dead-letters?limit=${DEAD_LETTERS_SHOWN}`);
      ids = pending.filter((letter) => letter.eventType === request.eventType).map((letter) => letter.id);
    }
    const results: Array<ReplayResult & { eventType?: string | null }> = [];
    for (const id of ids) {
      let result: ReplayResult;
      try {
        result = await this.post<ReplayResult>(`${this.baseUrl(service)}/dead-letters/${encodeURIComponent(id)}/replay`);
      } catch (error) {
        result = { id, outcome: 'failed', error: (error as Error).message };
      }
      results.push({ ...result, eventType: request.eventType ?? null });
      await this.dataSource.query(
        `INSERT INTO pipe_audit (actor, service, action, subject, event_type, outcome, reason, detail) VALUES ($1, $2, 'replay-dead-letter', $3, $4, $5, $6, $7::jsonb)`,
        [actor, service, id, request.eventType ?? null, result.outcome, request.reason, JSON.stringify({ error: result.error ?? null, byType: request.ids === undefined || request.ids.length === 0 })],
      );
    }
    return { service, replayed: results.filter((result) => result.outcome !== 'failed').length, results };
  }

  async audit(limit = 50) {
    const rows: Array<{ id: string; at: Date; actor: string; service: string; action: string; subject: string; event_type: string | null; outcome: string; reason: string }> =
      await this.dataSource.query('SELECT id::text, at, actor, service, action, subject, event_type, outcome, reason FROM pipe_audit ORDER BY id DESC LIMIT $1', [
        Math.min(limit, 500),
      ]);
    return rows.map(({ event_type: eventType, at, ...row }) => ({ ...row, at: at.toISOString(), eventType }));
  }

  onApplicationShutdown(): Promise<void> {
    return this.admins.close();
  }

  private async ofService(service: SourceService): Promise<ServicePipesState> {
    const base = this.baseUrl(service);
    try {
      const [outbox, letters, consumer] = await Promise.all([
        this.get<OutboxBacklog>(`${base}/outbox/pending`),
        this.get<DeadLetter[]>(`${base}/dead-letters?limit=${DEAD_LETTERS_SHOWN}`),
        this.lagOf(`${this.config.KAFKA_TOPIC_PREFIX}${service}-service`),
      ]);
      const byType: Record<string, number> = {};
      for (const letter of letters) byType[letter.eventType ?? 'unknown'] = (byType[letter.eventType ?? 'unknown'] ?? 0) + 1;
      return { service, outbox, consumer, deadLetters: { count: letters.length, byType, items: letters } };
    } catch (error) {
      return { service, unavailable: (error as Error).message };
    }
  }

  private async lagOf(groupId: string) {
    try {
      const admin = await this.admins.get();
      const committed = await admin.fetchOffsets({ groupId });
      const lag: PartitionLag[] = [];
      for (const { topic, partitions } of committed) {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, entry]));
        for (const { partition, offset } of partitions) {
          const end = ends.get(partition);
          if (!end) continue;
          const from = offset === '-1' ? end.low : offset;
          lag.push({ topic: topic.slice(this.config.KAFKA_TOPIC_PREFIX.length), partition, committed: offset, end: end.high, lag: Math.max(0, Number(BigInt(end.high) - BigInt(from))) });
        }
      }
      return { groupId, lag, totalLag: lag.reduce((sum, entry) => sum + entry.lag, 0) };
    } catch (error) {
      return { groupId, unavailable: (error as Error).message };
    }
  }

  private baseUrl(service: SourceService): string {
    return clientOptions(this.config, service).baseUrl.replace(/\/$/, '');
  }

  private async get<T>(url: string): Promise<T> {
    const response = await fetch(url, { headers: { 'X-Api-Key': this.config.SERVICES_CALLER_KEY }, signal: AbortSignal.timeout(this.config.EXPLORER_SERVICE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${new URL(url).pathname} answered ${response.status}`);
    return (await response.json()) as T;
  }

  private async post<T>(url: string): Promise<T> {
    const response = await fetch(url, { method: 'POST', headers: { 'X-Api-Key': this.config.SERVICES_CALLER_KEY }, signal: AbortSignal.timeout(this.config.EXPLORER_SERVICE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${new URL(url).pathname} answered ${response.status}`);
    return (await response.json()) as T;
  }
}
