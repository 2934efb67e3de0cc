import { z } from 'zod';
import { EVENT_CATALOG, EVENT_TYPES, type EventType } from './catalog';
import { eventEnvelopeSchema } from './envelope';
import { DEAD_LETTER_HEADERS, EVENT_HEADERS } from './headers';
import { TOPICS, type TopicKey } from './topics';

/** A JSON value, loosely: the AsyncAPI document is plain data. */
export type AsyncApiDocument = Record<string, unknown>;

export interface AsyncApiOptions {
  /** @defaultValue `'localhost:9092'` */
  kafkaHost?: string;
  /** Version of the API described (not of the AsyncAPI spec). @defaultValue `'1.0.0'` */
  apiVersion?: string;
}

const KAFKA_BINDING_VERSION = '0.5.0';

const CHANNEL_DESCRIPTIONS: Record<TopicKey, string> = {
  orderEvents: 'Facts published by the order service.',
  inventoryEvents: 'Facts published by the inventory service.',
  paymentEvents: 'Facts published by the payment service.',
  shipmentEvents: 'Facts published by the shipment service.',
  notificationEvents: 'Facts published by the notification service.',
  reconciliationCommands: 'Repair commands from the reconciliation service, each handled idempotently by the owner of the data.',
  deadLetter: 'Messages a consumer could not handle after its retries: original key, value and headers, plus dead-letter-* headers.',
};

const stringHeader = (description: string): Record<string, unknown> => ({ type: 'string', description });

const EVENT_HEADER_PROPERTIES: Record<string, Record<string, unknown>> = {
  [EVENT_HEADERS.eventId]: { ...stringHeader('The envelope eventId (consumers deduplicate on it).'), format: 'uuid' },
  [EVENT_HEADERS.eventType]: stringHeader('The envelope type, e.g. OrderPlaced.'),
  [EVENT_HEADERS.eventVersion]: { ...stringHeader('The envelope version, in decimal.'), pattern: '^[1-9][0-9]*$' },
  [EVENT_HEADERS.correlationId]: stringHeader('The envelope correlationId (the order flow).'),
  [EVENT_HEADERS.causationId]: stringHeader('The envelope causationId; absent for the first event of a flow.'),
  [EVENT_HEADERS.orderId]: stringHeader('The envelope orderId (also the message key).'),
  [EVENT_HEADERS.producer]: stringHeader('The producing service, e.g. order-service.'),
};

function eventHeadersSchema(): Record<string, unknown> {
  return {
    type: 'object',
    properties: EVENT_HEADER_PROPERTIES,
    required: Object.values(EVENT_HEADERS).filter((name) => name !== EVENT_HEADERS.causationId),
  };
}

function deadLetterHeadersSchema(): Record<string, unknown> {
  const deadLetterProperties = {
    [DEAD_LETTER_HEADERS.reason]: stringHeader('Why the message was dead-lettered (last error).'),
    [DEAD_LETTER_HEADERS.originalTopic]: stringHeader('Topic the message was consumed from.'),
    [DEAD_LETTER_HEADERS.originalPartition]: { ...stringHeader('Partition it was consumed from.'), pattern: '^[0-9]+$' },
    [DEAD_LETTER_HEADERS.originalOffset]: { ...stringHeader('Offset it was consumed at.'), pattern: '^[0-9]+$' },
    [DEAD_LETTER_HEADERS.consumerGroup]: stringHeader('Consumer group that gave up on it.'),
    [DEAD_LETTER_HEADERS.attempts]: { ...stringHeader('How many times handling was attempted.'), pattern: '^[0-9]+$' },
    [DEAD_LETTER_HEADERS.failedAt]: { ...stringHeader('When it was dead-lettered (ISO-8601).'), format: 'date-time' },
  };
  return {
    type: 'object',
    properties: { ...EVENT_HEADER_PROPERTIES, ...deadLetterProperties },
    required: [DEAD_LETTER_HEADERS.reason, DEAD_LETTER_HEADERS.originalTopic],
  };
}

const messageKeyBinding = {
  kafka: {
    key: { type: 'string', description: 'The orderId: one order keeps its order within a topic.' },
    bindingVersion: KAFKA_BINDING_VERSION,
  },
};

/** The envelope with this (type, version)'s payload embedded, as JSON Schema (draft-07). */
function envelopeJsonSchema(type: EventType, version: number, payload: z.ZodType): Record<string, unknown> {
  const schema = eventEnvelopeSchema.extend({ type: z.literal(type), version: z.literal(version), payload });
  // `io: 'input'`: describe what may be sent; unknown fields are tolerated by consumers.
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' });
  return jsonSchema;
}

/** Component message id: the type name for the latest version, `<Type>.v<n>` for older ones. */
function messageId(type: EventType, version: number): string {
  return version === EVENT_CATALOG[type].latestVersion ? type : `${type}.v${version}`;
}

function topicKeyOf(topic: string): TopicKey {
  const key = (Object.keys(TOPICS) as TopicKey[]).find((candidate) => TOPICS[candidate] === topic);
  if (key === undefined) {
    throw new Error(`Catalog names topic "${topic}", which is not in TOPICS`);
  }
  return key;
}

/**
 * The AsyncAPI 3.0.0 document of the whole backbone, generated from the catalog: one channel per
 * topic, one message per event type (and per older version still in the catalog), and a `send`
 * operation per message (the application described is the backbone as a whole).
 */
export function buildAsyncApiDocument(options: AsyncApiOptions = {}): AsyncApiDocument {
  const channels: Record<string, { address: string; description: string; messages: Record<string, { $ref: string }> }> = {};
  for (const key of Object.keys(TOPICS) as TopicKey[]) {
    channels[key] = { address: TOPICS[key], description: CHANNEL_DESCRIPTIONS[key], messages: {} };
  }
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};

  for (const type of EVENT_TYPES) {
    const definition = EVENT_CATALOG[type];
    const channelKey = topicKeyOf(definition.topic);
    const schemas: Record<number, z.ZodType> = definition.schemas;
    for (const version of Object.keys(schemas).map(Number)) {
      const id = messageId(type, version);
      messages[id] = {
        name: type,
        title: `${type} v${version}`,
        summary: definition.description,
        contentType: 'application/json',
        headers: eventHeadersSchema(),
        payload: envelopeJsonSchema(type, version, schemas[version]),
        bindings: messageKeyBinding,
        'x-producer': definition.producer,
        'x-event-version': version,
      };
      channels[channelKey].messages[id] = { $ref: `#/components/messages/${id}` };
      operations[`send${id.replace(/\./g, '')}`] = {
        action: 'send',
        title: `${definition.producer} publishes ${type} v${version}`,
        channel: { $ref: `#/channels/${channelKey}` },
        messages: [{ $ref: `#/channels/${channelKey}/messages/${id}` }],
      };
    }
  }

  messages['DeadLetter'] = {
    name: 'DeadLetter',
    title: 'Dead-lettered message',
    summary: 'The original message value, unchanged (it may not even be valid JSON).',
    headers: deadLetterHeadersSchema(),
    payload: {},
    bindings: messageKeyBinding,
  };
  channels.deadLetter.messages['DeadLetter'] = { $ref: '#/components/messages/DeadLetter' };
  operations['sendDeadLetter'] = {
    action: 'send',
    title: 'A consumer moves a message it gave up on to the dead-letter topic',
    channel: { $ref: '#/channels/deadLetter' },
    messages: [{ $ref: '#/channels/deadLetter/messages/DeadLetter' }],
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Commerce backbone events',
      version: options.apiVersion ?? '1.0.0',
      description:
        'Choreographed order lifecycle: every message is a JSON event envelope keyed by orderId. ' +
        'Topics follow commerce.<producing-domain>.events, plus commerce.reconciliation.commands and commerce.dead-letter.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: options.kafkaHost ?? 'localhost:9092', protocol: 'kafka', description: 'Kafka broker(s)' },
    },
    channels,
    operations,
    components: { messages },
  };
}
