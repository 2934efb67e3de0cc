import { type EventEnvelope, headersFor, topicFor } from '@commerce/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { testBrokers, uniqueName } from '@commerce/testing';

/** Publishes envelopes as their producing service would: to `<prefix><topic of the type>`, keyed by orderId. */
export async function produceAs(prefix: string, ...events: EventEnvelope[]): Promise<void> {
  const producer = new Kafka({ clientId: uniqueName('test'), brokers: testBrokers(), logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const event of events) {
      await producer.send({ topic: prefix + topicFor(event.type), messages: [{ key: event.orderId, value: JSON.stringify(event), headers: headersFor(event) }] });
    }
  } finally {
    await producer.disconnect();
  }
}
