import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Admin, AssignerProtocol, type Assignment, type EachBatchPayload, Kafka, logLevel, type PartitionAssigner } from 'kafkajs';
import { ALL_TOPICS, EVENT_HEADERS, TOPICS } from '@commerce/contracts';
import { brokerList, createLogger } from '@commerce/platform';
import type { ServiceConfig } from '../config';
import { RECON_CONFIG } from '../settings.module';
import { LazyAdmin } from '../sources/lazy-admin';
import { partitionOf } from './order-partition';

/** One of the order's messages as it sits on Kafka. */
export interface OrderEventOnKafka {
  topic: string;
  partition: number;
  offset: string;
  /** The broker's timestamp of the message. */
  timestamp: string;
  type: string | null;
  eventId: string | null;
  occurredAt: string | null;
  producer: string | null;
  correlationId: string | null;
  causationId: string | null;
}

/** What was read of one topic: the order's partition, the offsets looked at, and whether the read stopped short. */
export interface TopicRead {
  topic: string;
  partition: number;
  fromOffset: string;
  toOffset: string;
  scanned: number;
  truncated: boolean;
}

export interface OrderEventsRead {
  events: OrderEventOnKafka[];
  topics: TopicRead[];
  /** False when the read timed out before every topic's range was read. */
  complete: boolean;
}

interface Range {
  topic: string;
  partition: number;
  start: bigint;
  /** Exclusive: the partition's end when the read began. */
  end: bigint;
  scanned: number;
  done: boolean;
}

/**
 * Reads one order's messages from every topic of the backbone, cheaply: the key decides the
 * partition (`partitionOf`), the order's first and last known activity decide where to start and
 * stop (the broker's time index, `fetchTopicOffsetsByTimestamp`, widened by EXPLORER_LOOKBACK_MS
 * each way; the partition's end as it was when asked, at most), and no topic reads more than
 * EXPLORER_MAX_SCAN messages. A
 * consumer group of its own, assigned just those partitions by the assigner below, commits
 * nothing and is deleted afterwards.
 */
@Injectable()
export class OrderEventsReader implements OnApplicationShutdown {
  private readonly log = createLogger('order-explorer');
  private readonly kafka: Kafka;
  private readonly admins: LazyAdmin;

  constructor(@Inject(RECON_CONFIG) private readonly config: ServiceConfig) {
    this.kafka = new Kafka({ clientId: 'reconciliation-explorer', brokers: brokerList(config.KAFKA_BROKERS), logLevel: logLevel.NOTHING });
    this.admins = new LazyAdmin(this.kafka);
  }

  /** `since`/`until`: the order's first and last known activity (null: the partition's start / end). */
  async read(orderId: string, since: Date | null, until: Date | null = null): Promise<OrderEventsRead> {
    const admin = await this.admins.get();
    const topics = ALL_TOPICS.filter((topic) => topic !== TOPICS.deadLetter).map((topic) => this.config.KAFKA_TOPIC_PREFIX + topic);
    const ranges = await Promise.all(topics.map((topic) => this.rangeOf(admin, topic, orderId, since, until)));
    const pending = ranges.filter((range) => !range.done);
    const events = pending.length === 0 ? { events: [], complete: true } : await this.scan(orderId, pending);
    return {
      events: events.events.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || a.topic.localeCompare(b.topic)),
      complete: events.complete,
      topics: ranges.map((range) => ({
        topic: range.topic,
        partition: range.partition,
        fromOffset: range.start.toString(),
        toOffset: range.end.toString(),
        scanned: range.scanned,
        truncated: range.end - range.start > BigInt(range.scanned) && range.scanned >= this.config.EXPLORER_MAX_SCAN,
      })),
    };
  }

  onApplicationShutdown(): Promise<void> {
    return this.admins.close();
  }

  private async rangeOf(admin: Admin, topic: string, orderId: string, since: Date | null, until: Date | null): Promise<Range> {
    const offsets = await admin.fetchTopicOffsets(topic);
    const partition = partitionOf(orderId, offsets.length);
    const own = offsets.find((entry) => entry.partition === partition);
    if (!own) throw new Error(`${topic} has no partition ${partition} in its offsets`);
    const low = BigInt(own.low);
    const high = BigInt(own.high);
    // The first offset at or after a time on the order's partition; -1 (nothing that late) means the end.
    const offsetAt = async (time: number) => {
      const entry = (await admin.fetchTopicOffsetsByTimestamp(topic, time)).find((candidate) => candidate.partition === partition);
      const offset = entry && entry.offset !== '-1' ? BigInt(entry.offset) : high;
      return offset < low ? low : offset > high ? high : offset;
    };
    const margin = this.config.EXPLORER_LOOKBACK_MS;
    const [start, end] = await Promise.all([since ? offsetAt(since.getTime() - margin) : low, until ? offsetAt(until.getTime() + margin) : high]);
    return { topic, partition, start, end, scanned: 0, done: start >= end };
  }

  private async scan(orderId: string, ranges: Range[]): Promise<{ events: OrderEventOnKafka[]; complete: boolean }> {
    const key = Buffer.from(orderId);
    const groupId = `${this.config.KAFKA_TOPIC_PREFIX}reconciliation-explorer-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, partitionAssigners: [onlyThese(ranges)], maxWaitTimeInMs: 100, retry: { retries: 2 } });
    const events: OrderEventOnKafka[] = [];
    const byTopic = new Map(ranges.map((range) => [range.topic, range]));
    let finish: (complete: boolean) => void = () => undefined;
    const finished = new Promise<boolean>((resolve) => (finish = resolve));
    const timer = setTimeout(() => finish(false), this.config.EXPLORER_TIMEOUT_MS);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: ranges.map((range) => range.topic) });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }: EachBatchPayload) => {
          const range = byTopic.get(batch.topic);
          if (!range || range.done) return;
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset < range.start) continue;
            if (offset >= range.end || range.scanned >= this.config.EXPLORER_MAX_SCAN) {
              range.done = true;
              break;
            }
            range.scanned++;
            if (message.key?.equals(key)) events.push(describe(range, message.offset, message.timestamp, message.value, message.headers));
            if (offset === range.end - 1n) range.done = true;
          }
          if (range.done) consumer.pause([{ topic: range.topic }]);
          if (ranges.every((r) => r.done)) finish(true);
        },
      });
      for (const range of ranges) consumer.seek({ topic: range.topic, partition: range.partition, offset: range.start.toString() });
      return { events, complete: await finished };
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch((error: unknown) => this.log.warn({ err: error }, 'explorer consumer disconnect failed'));
      const admin = await this.admins.get().catch(() => null);
      await admin?.deleteGroups([groupId]).catch(() => undefined);
    }
  }
}

/** An assigner that hands the (only) member just the order's partition of each topic. */
function onlyThese(ranges: Range[]): PartitionAssigner {
  const assignment: Assignment = Object.fromEntries(ranges.map((range) => [range.topic, [range.partition]]));
  return () => ({
    name: 'OrderPartitionAssigner',
    version: 1,
    async assign({ members }) {
      return members.map((member, index) => ({
        memberId: member.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: index === 0 ? assignment : {}, userData: Buffer.alloc(0) }),
      }));
    },
    protocol({ topics }) {
      return { name: 'OrderPartitionAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) };
    },
  });
}

function describe(range: Range, offset: string, timestamp: string, value: Buffer | null, headers: Record<string, unknown> | undefined): OrderEventOnKafka {
  const header = (name: string) => {
    const raw = headers?.[name];
    return raw === undefined || raw === null ? null : String(raw);
  };
  let envelope: Record<string, unknown> = {};
  try {
    envelope = JSON.parse(value?.toString('utf8') ?? '{}') as Record<string, unknown>;
  } catch {
    // Not JSON (a poison message): the headers are all there is.
  }
  const text = (name: string) => (typeof envelope[name] === 'string' ? (envelope[name] as string) : null);
  return {
    topic: range.topic,
    partition: range.partition,
    offset,
    timestamp: new Date(Number(timestamp)).toISOString(),
    type: text('type') ?? header(EVENT_HEADERS.eventType),
    eventId: text('eventId') ?? header(EVENT_HEADERS.eventId),
    occurredAt: text('occurredAt'),
    producer: text('producer') ?? header(EVENT_HEADERS.producer),
    correlationId: text('correlationId') ?? header(EVENT_HEADERS.correlationId),
    causationId: text('causationId'),
  };
}
