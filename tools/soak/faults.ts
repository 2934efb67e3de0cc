// The faults the soak injects while orders flow, each recorded with when it happened.
import { Client } from 'pg';
import { DATABASE_URL, killKafkaNode, KAFKA_NODES, kafkaBrokers, type PrivateRedis, probeKafka, startKafkaNode } from '@commerce/provisioning';
import type { RunningStack } from '@commerce/stack';
import { soakKafka } from './kafka';

export interface InjectedFault {
  at: string;
  /** Seconds since the traffic began. */
  second: number;
  fault: string;
  detail: string;
  /** Seconds from the injection until the consumers' lag was back to what it was (drain.ts); null if it never was. */
  drainSeconds?: number | null;
  /** Highest consumer lag seen while it drained. */
  peakLag?: number;
}

/** Events delivered again on purpose (copies produced, offsets rewound), counted as the faults deliver them. */
export interface Redelivered {
  count: number;
}

/** A fault due once this share of the orders has been placed. */
export interface PlannedFault {
  atShare: number;
  name: string;
  inject: () => Promise<string>;
  /** When the fault is over (a broker started again): drain is measured from then, not from the injection. */
  over?: () => Promise<void>;
}

/** SIGKILL of one replica; the stack runner restarts it. */
export function killReplica(stack: RunningStack, instance: string): () => Promise<string> {
  return async () => {
    const before = stack.status().find((i) => i.name === instance || i.name === instance.replace('#1', ''));
    stack.kill(instance);
    return `SIGKILL pid ${before?.pid ?? '?'}; the stack runner restarts it`;
  };
}

/** SIGKILL of one Kafka node, started again after `downMs` (in the background, also pushed to `background`). */
export function killBroker(node: number, downMs: number, background: Array<Promise<unknown>>): Pick<PlannedFault, 'inject' | 'over'> {
  let back: Promise<unknown> = Promise.resolve();
  return {
    inject: async () => {
      if (KAFKA_NODES < 3) return 'skipped: a single broker (run with --brokers 3)';
      const pid = await killKafkaNode(node);
      back = new Promise((resolve) => setTimeout(resolve, downMs)).then(async () => {
        const again = await startKafkaNode(node).catch(async (error: Error) => {
          // On a saturated machine the node may take longer than provisioning waits: wait on.
          console.log(`[soak] kafka node ${node}: ${error.message}; waiting longer`);
          return awaitNodes(KAFKA_NODES, 600_000);
        });
        console.log(`[soak] kafka node ${node} started again (pid ${again})`);
      });
      background.push(back);
      return `SIGKILL node ${node} (pid ${pid}); started again after ${downMs / 1000} s`;
    },
    over: async () => void (await back),
  };
}

/** Resolves once `nodes` brokers answer (with a pid for the log: not known here); throws after `timeoutMs`. */
async function awaitNodes(nodes: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cluster = await probeKafka(kafkaBrokers(), 2000);
    if (cluster && cluster.brokers.length >= nodes) return 'not known';
    if (Date.now() > deadline) throw new Error(`the cluster has not had ${nodes} brokers for ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/**
 * SIGKILL of the reconciliation service's Redis (the soak's own), started again on its data after
 * `downMs`; `resumed` then proves the queues work again (a reconciliation run through them).
 */
export function restartRedis(redis: PrivateRedis, downMs: number, resumed: () => Promise<string>): () => Promise<string> {
  return async () => {
    const { killedPid, pid } = await redis.restart(downMs);
    const back = Date.now();
    const proof = await resumed();
    return `SIGKILL redis-server pid ${killedPid}; started again after ${downMs / 1000} s (pid ${pid}); ${proof} ${((Date.now() - back) / 1000).toFixed(0)} s after it was back`;
  };
}

/**
 * Rewinds one consumer group on one topic by about `offsets` messages, spread over the partitions:
 * Kafka resets offsets only for a group with no member, so every replica of the app is stopped,
 * the offsets set back, and the replicas started again; their inbox must absorb the redelivery.
 */
export function rewindGroup(stack: RunningStack, app: string, groupId: string, topic: string, offsets: number, redelivered: Redelivered): () => Promise<string> {
  return async () => {
    const admin = soakKafka('soak-rewind').admin();
    await admin.connect();
    let rewound = 0;
    try {
      await stack.restart(app, async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const low = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.low)]));
        const partitions = committed?.partitions ?? [];
        const share = Math.ceil(offsets / Math.max(1, partitions.length));
        const target = partitions.map((p) => {
          const at = Number(p.offset);
          const to = at < 0 ? at : Math.max(low.get(p.partition) ?? 0, at - share);
          rewound += at < 0 ? 0 : at - to;
          return { partition: p.partition, offset: String(to) };
        });
        // A member that has just left may still be listed for a moment, and one killed after a stuck
        // shutdown stays until its session times out (30 s, libs/messaging): try until the group is empty.
        for (let attempt = 1; ; attempt++) {
          try {
            await admin.setOffsets({ groupId, topic, partitions: target });
            return;
          } catch (error) {
            if (attempt >= 90) throw error;
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }
      });
      redelivered.count += rewound;
      return `${groupId} on ${topic} set back by ${rewound} offset(s) with ${app}'s replicas stopped, then started again`;
    } finally {
      await admin.disconnect();
    }
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
export function reproduce(topic: string, count: number, redelivered: Redelivered): () => Promise<string> {
  return async () => {
    const kafka = soakKafka('soak-duplicates');
    const consumer = kafka.consumer({ groupId: `soak-duplicates-${Date.now()}` });
    const producer = kafka.producer();
    const copies: Array<{ partition: number; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | string | undefined> }> = [];
    await Promise.all([consumer.connect(), producer.connect()]);
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 120_000); // fewer messages than asked: copy what there is (joining a group takes a while on a saturated machine)
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
      redelivered.count += copies.length;
      return `${copies.length} message(s) of ${topic} produced again`;
    } finally {
      await Promise.all([consumer.disconnect(), producer.disconnect()]);
    }
  };
}
