import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createLogger, metricsRegistry, sharedRead } from '@commerce/platform';
import type { MessageAdmin, MessagingClient, PartitionLag } from '../kafka/ports';

/** What one service's messaging reports at scrape time, read from its database and the broker. */
interface MessagingSource {
  service: string;
  outbox(): Promise<{ pending: number; oldestAgeSeconds: number }>;
  deadLetters(): Promise<{ pending: number; replayed: number }>;
  lag(): Promise<PartitionLag[]>;
}

const sources = new Set<MessagingSource>();
const log = createLogger('messaging-metrics');

/** Every source's `read`, once per scrape however many gauges ask; a source that fails is skipped this scrape. */
function readEach<T>(read: (source: MessagingSource) => Promise<T>): () => Promise<Array<{ source: MessagingSource; value: T }>> {
  return sharedRead(async () => {
    const values = await Promise.all(
      [...sources].map(async (source) => {
        try {
          return [{ source, value: await read(source) }];
        } catch (error) {
          log.debug({ err: error, service: source.service }, 'metric not collected');
          return [];
        }
      }),
    );
    return values.flat();
  });
}

// Read on every scrape: the outbox table is the truth, whatever the relay is doing.
const outboxes = readEach((source) => source.outbox());
new Gauge({
  name: 'outbox_pending_events',
  help: 'Outbox rows not yet published to Kafka',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
  async collect() {
    const read = await outboxes();
    this.reset();
    for (const { source, value } of read) this.set({ service: source.service }, value.pending);
  },
});
new Gauge({
  name: 'outbox_oldest_pending_age_seconds',
  help: 'Age of the oldest outbox row not yet published (0 when none is pending)',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
  async collect() {
    const read = await outboxes();
    this.reset();
    for (const { source, value } of read) this.set({ service: source.service }, value.oldestAgeSeconds);
  },
});

const deadLetters = readEach((source) => source.deadLetters());
new Gauge({
  name: 'dead_letters',
  help: 'Dead letters the service recorded, by state (pending: not replayed yet; replayed)',
  labelNames: ['service', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    const read = await deadLetters();
    this.reset();
    for (const { source, value } of read) {
      this.set({ service: source.service, state: 'pending' }, value.pending);
      this.set({ service: source.service, state: 'replayed' }, value.replayed);
    }
  },
});

const lags = readEach((source) => source.lag());
new Gauge({
  name: 'kafka_consumer_group_lag',
  help: "Messages behind the partition's newest offset, per consumer group, topic and partition",
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [metricsRegistry],
  async collect() {
    const read = await lags();
    this.reset();
    for (const { source, value } of read) {
      for (const { topic, partition, lag } of value) this.set({ group: source.service, topic, partition: String(partition) }, lag);
    }
  },
});

/** The service's outbox, dead letters and consumer lag, reported on /metrics while the app runs. */
@Injectable()
export class MessagingMetrics implements OnModuleInit, OnApplicationShutdown {
  private admin: MessageAdmin | null = null;
  private readonly source: MessagingSource;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: MessagingClient,
    groupId: string,
  ) {
    this.source = {
      service: groupId,
      outbox: () => this.outbox(),
      deadLetters: () => this.deadLetters(),
      lag: () => this.lag(groupId),
    };
  }

  onModuleInit(): void {
    sources.add(this.source);
  }

  async onApplicationShutdown(): Promise<void> {
    sources.delete(this.source);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
  }

  private async outbox(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS pending, COALESCE(extract(epoch FROM now() - min(created_at)), 0)::float AS age
         FROM outbox_message WHERE published_at IS NULL`,
    );
    return { pending: row.pending, oldestAgeSeconds: row.age };
  }

  private async deadLetters(): Promise<{ pending: number; replayed: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE replayed_at IS NULL)::int AS pending, count(*) FILTER (WHERE replayed_at IS NOT NULL)::int AS replayed
         FROM dead_letter`,
    );
    return row;
  }

  /** One admin connection, opened at the first scrape and kept. */
  private async lag(groupId: string): Promise<PartitionLag[]> {
    if (!this.admin) {
      const admin = this.client.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin.consumerLag(groupId);
  }
}
