import { TOPICS } from '@commerce/contracts';
import type { DataSource } from 'typeorm';
import type { MessageConsumer, MessageProducer, MessagingClient } from '../kafka/ports';
import type { Outbox } from '../outbox/outbox';
import type { OutboxRelay } from '../outbox/outbox-relay';
import { defaultRetryPolicy } from '../retry';
import { KafkaEventTransport } from './kafka-event-transport';
import { UnknownEventPatternError } from './subscriptions';

/** A client whose consumer records what it was subscribed to; anything else it is asked fails the test. */
function recordingClient() {
  const subscribed: string[][] = [];
  const consumer: MessageConsumer = {
    connect: async () => undefined,
    subscribe: async (topics) => void subscribed.push(topics),
    run: async () => undefined,
    disconnect: async () => undefined,
  };
  const unexpected = () => {
    throw new Error('unexpected call');
  };
  const client: MessagingClient = { brokers: [], consumer: () => consumer, producer: unexpected, admin: unexpected };
  return { client, subscribed };
}

function transportOn(client: MessagingClient, handledTypes: string[]): KafkaEventTransport {
  const transport = new KafkaEventTransport({
    client,
    dataSource: {} as DataSource,
    outbox: {} as Outbox,
    relay: {} as OutboxRelay,
    dlqProducer: {} as MessageProducer,
    groupId: 'test.shop-service',
    topicPrefix: 'test.',
    deadLetterTopic: 'test.' + TOPICS.deadLetter,
    retry: defaultRetryPolicy,
    partitionsConsumedConcurrently: 1,
    maxBatchSize: 100,
  });
  for (const type of handledTypes) transport.addHandler(type, async () => undefined, true);
  return transport;
}

/** What `listen` reports to Nest: nothing when it started, the error when it did not. */
function listen(transport: KafkaEventTransport): Promise<unknown> {
  return new Promise((resolve) => void transport.listen((error?: unknown) => resolve(error)));
}

describe('KafkaEventTransport', () => {
  it("subscribes to the prefixed topics of the event types its handlers are for, and no other", async () => {
    const { client, subscribed } = recordingClient();
    const error = await listen(transportOn(client, ['OrderPlaced', 'OrderCancellationRequested', 'ResendNotificationRequested']));
    expect(error).toBeUndefined();
    expect(subscribed).toEqual([['test.' + TOPICS.orderEvents, 'test.' + TOPICS.reconciliationCommands]]);
  });

  it('refuses to start with a handler for a type the catalog does not have, naming it', async () => {
    const { client, subscribed } = recordingClient();
    const error = await listen(transportOn(client, ['OrderPlaced', 'OrderShipped']));
    expect(error).toBeInstanceOf(UnknownEventPatternError);
    expect((error as Error).message).toContain('"OrderShipped"');
    expect(subscribed).toEqual([]);
  });

  it('refuses to start with no handler at all', async () => {
    const { client, subscribed } = recordingClient();
    expect(await listen(transportOn(client, []))).toEqual(new Error('Consumer group test.shop-service has no @EventPattern handler: nothing to consume'));
    expect(subscribed).toEqual([]);
  });
});
