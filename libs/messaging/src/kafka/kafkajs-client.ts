import { type Consumer, Kafka, type KafkaConfig, type KafkaMessage, logLevel, Partitioners, type Producer, type SASLOptions } from 'kafkajs';
import { createLogger, type KafkaSecurity } from '@commerce/platform';
import type {
  ConsumerRunOptions,
  IncomingMessage,
  MessageAdmin,
  MessageConsumer,
  MessageProducer,
  MessagingClient,
  OutgoingMessage,
  TopicSpec,
} from './ports';

const log = createLogger('kafka');

function toKafkaLog(level: logLevel) {
  return ({ namespace, log: entry }: { namespace: string; log: { message: string } & Record<string, unknown> }) => {
    const { message, ...rest } = entry;
    // Our relay bounds producer retries on purpose: it backs off and retries the batch itself.
    if (message.startsWith('Limiting retries for the idempotent producer')) return;
    const line = { namespace, ...rest };
    if (level === logLevel.ERROR) log.error(line, message);
    else if (level === logLevel.WARN) log.warn(line, message);
  };
}

function headersToStrings(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    out[name] = Array.isArray(value) ? String(value[value.length - 1]) : String(value);
  }
  return out;
}

class KafkajsProducer implements MessageProducer {
  constructor(private readonly producer: Producer) {}
  connect() {
    return this.producer.connect();
  }
  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }
  disconnect() {
    return this.producer.disconnect();
  }
}

function toIncoming(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers: headersToStrings(message.headers as Record<string, unknown>),
  };
}

class KafkajsConsumer implements MessageConsumer {
  constructor(private readonly consumer: Consumer) {}
  connect() {
    return this.consumer.connect();
  }
  subscribe(topics: string[], fromBeginning = true) {
    return this.consumer.subscribe({ topics, fromBeginning });
  }
  run(handle: (messages: IncomingMessage[]) => Promise<void>, options: ConsumerRunOptions = {}) {
    const maxBatchSize = options.maxBatchSize ?? 100;
    return this.consumer.run({
      autoCommit: true,
      // An offset is resolved only once the messages before it are handled: a batch cut short (a
      // rebalance, a stop, a failure) leaves the rest to be fetched again.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const messages = batch.messages.map((message) => toIncoming(batch.topic, batch.partition, message));
        for (let start = 0; start < messages.length; start += maxBatchSize) {
          if (!isRunning() || isStale()) return;
          const chunk = messages.slice(start, start + maxBatchSize);
          await handle(chunk);
          resolveOffset(chunk[chunk.length - 1].offset);
          await heartbeat();
        }
      },
    });
  }
  disconnect() {
    return this.consumer.disconnect();
  }
}

/** kafkajs behind the library's ports. */
export class KafkajsMessagingClient implements MessagingClient {
  private readonly kafka: Kafka;

  /** `security`: TLS and SASL (SASL_SSL to a managed cluster); none for a plain listener. */
  constructor(
    readonly brokers: string[],
    clientId: string,
    overrides: Partial<KafkaConfig> = {},
    security: KafkaSecurity = {},
  ) {
    this.kafka = new Kafka({
      clientId,
      brokers,
      ...(security.ssl ? { ssl: security.ssl } : {}),
      // kafkajs types each mechanism apart; ours are the three it names plain, scram-sha-256 and scram-sha-512.
      ...(security.sasl ? { sasl: security.sasl as SASLOptions } : {}),
      connectionTimeout: 3000,
      requestTimeout: 15000,
      retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
      logLevel: logLevel.WARN,
      logCreator: toKafkaLog,
      ...overrides,
    });
  }

  producer(): MessageProducer {
    return new KafkajsProducer(
      // Idempotent producer: broker-side dedup of retried batches, per-partition order kept.
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
  }

  consumer(groupId: string): MessageConsumer {
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      // disconnect() waits for the fetch in flight, which the broker holds up to this long when
      // idle (kafkajs' default is 5 s): shorter makes a graceful stop quick.
      maxWaitTimeInMs: 5000,
      retry: { initialRetryTime: 300, retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10000 },
    });
    return new KafkajsConsumer(consumer);
  }

  admin(): MessageAdmin {
    const admin = this.kafka.admin();
    const brokers = this.brokers;
    return {
      connect: () => admin.connect(),
      disconnect: () => admin.disconnect(),
      async describeCluster() {
        try {
          const cluster = await admin.describeCluster();
          return { brokers: cluster.brokers.map((b) => `${b.host}:${b.port}`), controller: cluster.controller };
        } catch (error) {
          throw new Error(`Kafka broker unreachable at ${brokers.join(',')}: ${(error as Error).message}`, { cause: error });
        }
      },
      async ensureTopics(topics: TopicSpec[]) {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t.topic));
        if (missing.length === 0) return;
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: 1 })),
        });
      },
      deleteTopics: (topics: string[]) => admin.deleteTopics({ topics }),
      async consumerLag(groupId: string) {
        const committed = await admin.fetchOffsets({ groupId });
        const lags = await Promise.all(
          committed.map(async ({ topic, partitions }) => {
            const latest = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
            return partitions.flatMap(({ partition, offset }) => {
              const end = latest.get(partition);
              if (!end) return [];
              // -1: nothing committed yet; the group starts at the log's beginning.
              const from = Number(offset) >= 0 ? Number(offset) : Number(end.low);
              return [{ topic, partition, lag: Math.max(0, Number(end.high) - from) }];
            });
          }),
        );
        return lags.flat();
      },
    };
  }
}
