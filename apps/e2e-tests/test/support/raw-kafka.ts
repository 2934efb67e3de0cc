import { type IHeaders, Kafka, logLevel } from 'kafkajs';
import { type EventEnvelope, headersFor, topicFor } from '@commerce/contracts';
import { testBrokers, uniqueName } from '@commerce/testing';

/** A message exactly as it sits on the topic: the bytes of key, value and headers. */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

const kafka = () => new Kafka({ clientId: uniqueName('e2e-raw'), brokers: testBrokers(), logLevel: logLevel.NOTHING });

/**
 * Reads `topic` from the beginning with a consumer group of its own (invisible to the services)
 * until a message matches, and returns its raw bytes.
 */
export async function findPublished(topic: string, matches: (envelope: { orderId?: string; type?: string } | null) => boolean, timeoutMs = 20_000): Promise<RawMessage> {
  const consumer = kafka().consumer({ groupId: uniqueName('e2e-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<RawMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message on ${topic} within ${timeoutMs} ms`)), timeoutMs);
      void consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const envelope = JSON.parse(message.value?.toString('utf8') ?? 'null');
            if (!matches(envelope)) return;
            clearTimeout(timer);
            resolve({ topic, partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {} });
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

/** Produces the message again, byte for byte, from a producer of its own (as a retrying producer would). */
export async function produceAgain(message: RawMessage): Promise<void> {
  const producer = kafka().producer();
  await producer.connect();
  try {
    await producer.send({
      topic: message.topic,
      messages: [{ key: message.key, value: message.value, headers: message.headers }],
    });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Produces an event from a client of its own, as a foreign or misbehaving producer would: to the
 * type's topic under `topicPrefix`, keyed by orderId like the services' own events.
 */
export async function produceEvent(topicPrefix: string, event: EventEnvelope): Promise<void> {
  const producer = kafka().producer();
  await producer.connect();
  try {
    await producer.send({ topic: topicPrefix + topicFor(event.type), messages: [{ key: event.orderId, value: JSON.stringify(event), headers: headersFor(event) }] });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Moves a consumer group past everything on these topics so far, as if those events had been lost
 * to it (its offsets reset to the end). Only while the group has no member (its service stopped).
 * One member joins once for every topic and commits the ends (the admin's setOffsets joins the
 * group once per topic, a rebalance delay each).
 */
export async function skipToEnd(groupId: string, topics: readonly string[]): Promise<void> {
  const client = kafka();
  const admin = client.admin();
  await admin.connect();
  let ends: Array<{ topic: string; partition: number; offset: string }>;
  try {
    const perTopic = await Promise.all(topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })));
    ends = perTopic.flatMap(({ topic, partitions }) => partitions.map(({ partition, high }) => ({ topic, partition, offset: high })));
  } finally {
    await admin.disconnect();
  }
  const consumer = client.consumer({ groupId });
  await consumer.connect();
  try {
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    await consumer.subscribe({ topics: [...topics] });
    // Reads nothing and resolves no offset: the only commit is the one below.
    await consumer.run({ eachBatchAutoResolve: false, autoCommit: false, eachBatch: async () => undefined });
    consumer.pause(topics.map((topic) => ({ topic })));
    await joined;
    await consumer.commitOffsets(ends);
  } finally {
    await consumer.disconnect();
  }
}
