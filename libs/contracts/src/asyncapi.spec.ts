import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { buildAsyncApiDocument } from './asyncapi';
import { EVENT_TYPES, topicFor } from './catalog';
import { ALL_TOPICS } from './topics';

type Doc = {
  asyncapi: string;
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: { messages: Record<string, { name: string; payload: { properties: Record<string, unknown>; required: string[] } }> };
};

describe('buildAsyncApiDocument', () => {
  const doc = buildAsyncApiDocument() as unknown as Doc;

  it('is a valid AsyncAPI 3.0.0 document', async () => {
    const diagnostics = await new Parser().validate(doc as never);
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
    expect(doc.asyncapi).toBe('3.0.0');
  });

  it('has one channel per topic, addressed by the topic name', () => {
    expect(Object.values(doc.channels).map((channel) => channel.address).sort()).toEqual([...ALL_TOPICS].sort());
  });

  it.each(EVENT_TYPES)('describes %s on the channel of its topic, with the envelope around its payload', (type) => {
    const message = doc.components.messages[type];
    expect(message.name).toBe(type);
    expect(message.payload.required).toEqual(expect.arrayContaining(['eventId', 'type', 'version', 'orderId', 'payload']));
    expect(message.payload.properties['type']).toMatchObject({ const: type });

    const channel = Object.values(doc.channels).find((candidate) => candidate.address === topicFor(type))!;
    expect(channel.messages[type]).toEqual({ $ref: `#/components/messages/${type}` });
  });

  it('declares a send operation for every message', () => {
    const sends = Object.values(doc.operations).filter((operation) => operation.action === 'send');
    expect(sends).toHaveLength(EVENT_TYPES.length + 1);
  });

  it('parses into a model the tooling can walk', async () => {
    const { document } = await new Parser().parse(doc as never);
    expect(document!.channels().all().map((channel) => channel.address()).sort()).toEqual([...ALL_TOPICS].sort());
    expect(document!.messages().all()).toHaveLength(EVENT_TYPES.length + 1);
  });
});
