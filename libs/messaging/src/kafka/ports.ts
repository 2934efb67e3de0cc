/**
 * The library's own small Kafka interface. Services and the outbox/inbox code see only
 * these types, so a librdkafka-based client could replace kafkajs behind them.
 */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface MessageProducer {
  connect(): Promise<void>;
  /** Resolves once every message is acknowledged by all in-sync replicas (acks=all). */
  send(messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ConsumerRunOptions {
  /** How many partitions are processed at once; order is kept within each partition. @defaultValue 1 */
  partitionsConsumedConcurrently?: number;
  /** Most messages handed to one `handle` call. @defaultValue 100 */
  maxBatchSize?: number;
  /** Read a new group's partitions from the beginning (default) or only new messages. */
  fromBeginning?: boolean;
}

export interface MessageConsumer {
  connect(): Promise<void>;
  subscribe(topics: string[], fromBeginning?: boolean): Promise<void>;
  /**
   * `handle` gets consecutive messages of one partition, in offset order. Their offsets are
   * committed only after it resolves; a rejection redelivers them.
   */
  run(handle: (messages: IncomingMessage[]) => Promise<void>, options?: ConsumerRunOptions): Promise<void>;
  disconnect(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
}

export interface MessageAdmin {
  connect(): Promise<void>;
  /** Fails with the broker address when no broker answers a metadata request. */
  describeCluster(): Promise<{ brokers: string[]; controller: number | null }>;
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  deleteTopics(topics: string[]): Promise<void>;
  /** Per partition the group has committed on: the newest offset minus the group's committed one. */
  consumerLag(groupId: string): Promise<PartitionLag[]>;
  disconnect(): Promise<void>;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface MessagingClient {
  readonly brokers: string[];
  producer(): MessageProducer;
  consumer(groupId: string): MessageConsumer;
  admin(): MessageAdmin;
}
