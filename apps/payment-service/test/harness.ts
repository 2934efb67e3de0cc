import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type EventEnvelope, type EventType, headersFor, TOPICS, topicFor } from '@commerce/contracts';
import { sampleEvent } from '@commerce/contracts/src/testing';
import { KafkaEventTransport, KafkajsMessagingClient } from '@commerce/messaging';
import { loadConfig, problemValidationPipe } from '@commerce/platform';
import { createTestDatabase, type TestDatabase, testBrokers, uniqueName } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests inspect JSON answers loosely
export interface HttpAnswer<T = any> {
  status: number;
  contentType: string | null;
  body: T;
}

/**
 * payment-service running in-process on its own database and its own topics
 * (`<unique>.commerce.*`) of the real broker, plus a raw producer to drive it and a
 * collector of everything it publishes.
 */
export class PaymentHarness {
  private constructor(
    readonly app: INestApplication,
    readonly url: string,
    readonly prefix: string,
    private readonly db: TestDatabase,
    private readonly producer: Producer,
    private readonly collector: Consumer,
    private readonly published: EventEnvelope[],
  ) {}

  /** @param env settings for this instance, e.g. small gateway delays */
  static async start(env: Record<string, string> = {}): Promise<PaymentHarness> {
    const db = await createTestDatabase('payment');
    const prefix = `${uniqueName('t')}.`;
    const admin = new KafkajsMessagingClient(testBrokers(), uniqueName('admin')).admin();
    await admin.connect();
    await admin.ensureTopics(Object.values(TOPICS).map((topic) => ({ topic: prefix + topic, partitions: 3 })));
    await admin.disconnect();

    const config = loadConfig(configSchema, { ...process.env, ...env, DATABASE_NAME: db.name, KAFKA_TOPIC_PREFIX: prefix });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalPipes(problemValidationPipe());
    app.enableShutdownHooks();
    app.connectMicroservice({ strategy: app.get(KafkaEventTransport) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    const kafka = new Kafka({ clientId: uniqueName('payment-test'), brokers: testBrokers(), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const published: EventEnvelope[] = [];
    const collector = kafka.consumer({ groupId: uniqueName('collector') });
    await collector.connect();
    await collector.subscribe({ topic: prefix + TOPICS.paymentEvents, fromBeginning: true });
    await collector.run({
      eachMessage: async ({ message }) => {
        published.push(JSON.parse(message.value?.toString() ?? 'null') as EventEnvelope);
      },
    });
    return new PaymentHarness(app, url, prefix, db, producer, collector, published);
  }

  get dataSource(): DataSource {
    return this.app.get<DataSource>(getDataSourceToken());
  }

  /** Produces envelopes to the topic of their type, keyed by orderId, as the producers would. */
  async produce(...events: EventEnvelope[]): Promise<void> {
    const byTopic = new Map<string, EventEnvelope[]>();
    for (const event of events) {
      const topic = this.prefix + topicFor(event.type);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
    }
    await this.producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((event) => ({ key: event.orderId, value: JSON.stringify(event), headers: headersFor(event) })),
      })),
    });
  }

  /** What payment-service published for an order (optionally of one type), in order. */
  publishedFor<T extends EventType>(orderId: string, type?: T): Array<EventEnvelope<T>> {
    return this.published.filter((event) => event.orderId === orderId && (type === undefined || event.type === type)) as Array<
      EventEnvelope<T>
    >;
  }

  /** True once the service has applied (or recognized as duplicate) the event with this id. */
  async processed(eventId: string): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM processed_event WHERE event_id = $1', [eventId]);
    return rows.length > 0;
  }

  /** Events of a type the service has written to its outbox for an order (published or not). */
  async outboxCount(orderId: string, type: EventType): Promise<number> {
    const [row] = await this.dataSource.query(
      'SELECT count(*)::int AS n FROM outbox_message WHERE message_key = $1 AND event_type = $2',
      [orderId, type],
    );
    return row.n;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as HttpAnswer
  async http<T = any>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>> {
    const response = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), body: text ? JSON.parse(text) : null };
  }

  async close(): Promise<void> {
    await this.collector.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
    await this.app.close();
    await this.db.drop();
    const admin = new KafkajsMessagingClient(testBrokers(), uniqueName('admin')).admin();
    await admin.connect();
    await admin.deleteTopics(Object.values(TOPICS).map((topic) => this.prefix + topic)).catch(() => undefined);
    await admin.disconnect();
  }
}

type Line = { sku: string; quantity: number; unitPriceMinor: number };

/** An OrderPlaced for a new order (fresh ids), its total matching its lines. */
export function orderPlaced(orderId: string, lines: Line[], paymentToken = 'tok_ok'): EventEnvelope<'OrderPlaced'> {
  return sampleEvent('OrderPlaced', {
    orderId,
    eventId: randomUUID(),
    correlationId: randomUUID(),
    occurredAt: new Date().toISOString(),
    payload: { lines, totalMinor: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0), paymentToken },
  });
}

/** An event of `type` about `orderId` with a fresh eventId (what a second producer send would be). */
export function eventFor<T extends EventType>(type: T, orderId: string, payload: Partial<EventEnvelope<T>['payload']> = {}) {
  return sampleEvent(type, {
    orderId,
    eventId: randomUUID(),
    correlationId: randomUUID(),
    occurredAt: new Date().toISOString(),
    payload,
  } as Parameters<typeof sampleEvent<T>>[1]);
}

/** A copy of an event under a new eventId: what a republish or a producer retry after a crash looks like. */
export function copyOf<T extends EventType>(event: EventEnvelope<T>): EventEnvelope<T> {
  return { ...structuredClone(event), eventId: randomUUID() };
}

/** InventoryReserved for the order: the amount to authorize. */
export function inventoryReserved(orderId: string, totalMinor: number): EventEnvelope<'InventoryReserved'> {
  return eventFor('InventoryReserved', orderId, { reservationId: randomUUID(), totalMinor, currency: 'EUR' });
}

export function shipmentDispatched(orderId: string, shipmentId: string, node: string, lines: Line[]): EventEnvelope<'ShipmentDispatched'> {
  return eventFor('ShipmentDispatched', orderId, {
    shipmentId,
    node,
    lines,
    valueMinor: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0),
    currency: 'EUR',
  });
}
