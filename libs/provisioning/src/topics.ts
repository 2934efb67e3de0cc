// The one way topics are provisioned: `infra up`, the stack runner and the tests' topics of their own
// all create the backbone's topics (ALL_TOPICS) with KAFKA_PARTITIONS partitions, production's count.
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS } from '@commerce/contracts';
import { log } from './processes';
import { KAFKA_PARTITIONS, kafkaBrokers } from './settings';

export interface TopicsOptions {
  /** Prepended to every topic name (a stack or a test on topics of its own). @defaultValue '' */
  prefix?: string;
  /** Bootstrap servers. @defaultValue KAFKA_BROKERS */
  brokers?: readonly string[];
}

/** A kafkajs client for provisioning (no logs of its own; `retries` retries per request). */
export function provisioningKafka(brokers: readonly string[] = kafkaBrokers(), { timeoutMs = 3000, retries = 0 } = {}): Kafka {
  return new Kafka({
    clientId: 'provisioning',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 3000),
    requestTimeout: timeoutMs,
    retry: { retries, initialRetryTime: 200, maxRetryTime: 2000 },
  });
}

async function withAdmin<T>(brokers: readonly string[] | undefined, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = provisioningKafka(brokers, { timeoutMs: 30_000, retries: 5 }).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect().catch(() => undefined); // the broker may be going away; nothing left to release
  }
}

/**
 * Waits until every partition of the topics has a leader. On a cluster a broker may not know a new
 * topic yet for a moment after the controller created it (kafkajs' own wait fails then): ask again.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics without a leader after ${timeoutMs / 1000} s: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Replication of new topics on a cluster of `brokers` brokers: 3 copies where there are 3 or more,
 * with writes (acks=all) acknowledged by 2, so one broker can die without losing or refusing a write.
 */
export function topicReplication(brokers: number): { replicationFactor: number; configEntries: Array<{ name: string; value: string }> } {
  const replicationFactor = Math.max(1, Math.min(3, brokers));
  return { replicationFactor, configEntries: replicationFactor >= 3 ? [{ name: 'min.insync.replicas', value: '2' }] : [] };
}

/**
 * Creates the backbone's topics (`prefix + name`) that are missing, with KAFKA_PARTITIONS partitions
 * each (replicated as topicReplication says for the cluster's size), and waits for their leaders.
 * Idempotent; returns the names it created.
 */
export async function ensureTopics({ prefix = '', brokers }: TopicsOptions = {}): Promise<string[]> {
  const topics = ALL_TOPICS.map((topic) => prefix + topic);
  return withAdmin(brokers, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      const replication = topicReplication((await admin.describeCluster()).brokers.length);
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: KAFKA_PARTITIONS, ...replication })),
        waitForLeaders: false,
        timeout: 30_000,
      });
      await waitForLeaders(admin, missing);
    }
    if (!existing.has('__consumer_offsets')) {
      // FindCoordinator creates __consumer_offsets now, so the first consumer group joins at once
      // instead of logging "The group coordinator is not available" while it is created.
      await admin.describeGroups(['provisioning-warmup']).catch(() => undefined);
    }
    const present = topics.filter((t) => existing.has(t));
    if (present.length > 0) {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: present });
      for (const t of meta.filter((t) => t.partitions.length < KAFKA_PARTITIONS)) {
        log('kafka', `warning: topic ${t.name} has ${t.partitions.length} partitions (< ${KAFKA_PARTITIONS}); not changed`);
      }
    }
    return missing;
  });
}

/** Deletes the backbone's topics under `prefix` that exist (a run on topics of its own cleaning up). */
export async function deleteTopics({ prefix, brokers }: TopicsOptions & { prefix: string }): Promise<void> {
  if (!prefix) throw new Error('deleteTopics needs a prefix: the shared, unprefixed topics are never deleted');
  await withAdmin(brokers, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const doomed = ALL_TOPICS.map((topic) => prefix + topic).filter((t) => existing.has(t));
    if (doomed.length === 0) return;
    await admin.deleteTopics({ topics: doomed }).catch((error: unknown) => {
      // a topic deleted a moment ago is still listed for a while; its deletion is what we wanted
      if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    });
  });
}
