// The faults the soak injects while orders flow, each recorded with when it happened.
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DATABASE_URL, killKafkaNode, KAFKA_NODES, kafkaBrokers, startKafkaNode } from '@commerce/provisioning';
import type { RunningStack } from '@commerce/stack';

export interface InjectedFault {
  at: string;
  /** Seconds since the traffic began. */
  second: number;
  fault: string;
  detail: string;
}

/** A fault due once this share of the orders has been placed. */
export interface PlannedFault {
  atShare: number;
  name: string;
  inject: () => Promise<string>;
}

/** SIGKILL of one replica; the stack runner restarts it. */
export function killReplica(stack: RunningStack, instance: string): () => Promise<string> {
  return async () => {
    const before = stack.status().find((i) => i.name === instance || i.name === instance.replace('#1', ''));
    stack.kill(instance);
    return `SIGKILL pid ${before?.pid ?? '?'}; the stack runner restarts it`;
  };
}

/** SIGKILL of one Kafka node, started again after `downMs` (in the background). */
export function killBroker(node: number, downMs: number, background: Array<Promise<unknown>>): () => Promise<string> {
  return async () => {
    if (KAFKA_NODES < 3) return 'skipped: a single broker (run with --brokers 3)';
    const pid = await killKafkaNode(node);
    background.push(
      new Promise((resolve) => setTimeout(resolve, downMs)).then(async () => {
        const again = await startKafkaNode(node);
        console.log(`[soak] kafka node ${node} started again (pid ${again})`);
      }),
    );
    return `SIGKILL node ${node} (pid ${pid}); started again after ${downMs / 1000} s`;
  };
}

/** Every backend of one service's database terminated (its pool reconnects). */
export function terminateBackends(database: string): () => Promise<string> {
  return async () => {
    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
      return `pg_terminate_backend of ${rowCount} connection(s) to ${database}`;
    } finally {
      await admin.end();
    }
  };
}

/** The first `count` messages of a topic produced again byte for byte (key, value, headers): duplicates. */
export function reproduce(topic: string, count: number): () => Promise<string> {
  return async () => {
    const kafka = new Kafka({ clientId: 'soak-duplicates', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `soak-duplicates-${Date.now()}` });
    const producer = kafka.producer();
    const copies: Array<{ partition: number; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | string | undefined> }> = [];
    await Promise.all([consumer.connect(), producer.connect()]);
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20_000); // fewer messages than asked: copy what there is
        void consumer.run({
          eachMessage: async ({ partition, message }) => {
            if (copies.length < count) copies.push({ partition, key: message.key, value: message.value, headers: (message.headers ?? {}) as Record<string, Buffer> });
            if (copies.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await producer.send({ topic, messages: copies.map((c) => ({ ...c, headers: c.headers as Record<string, Buffer> })) });
      return `${copies.length} message(s) of ${topic} produced again`;
    } finally {
      await Promise.all([consumer.disconnect(), producer.disconnect()]);
    }
  };
}
