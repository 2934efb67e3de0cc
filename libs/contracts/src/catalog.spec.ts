import { EVENT_CATALOG, EVENT_TYPES, eventTypesOn, isEventType, producerOf, topicFor, type EventType } from './catalog';
import { ALL_SERVICES } from './services';
import { ALL_TOPICS, TOPICS, isTopicName } from './topics';

describe('the topic convention', () => {
  it('names domain topics commerce.<domain>.events, plus one commands topic and one dead-letter topic', () => {
    expect([...ALL_TOPICS].sort()).toEqual(
      [
        'commerce.dead-letter',
        'commerce.inventory.events',
        'commerce.notification.events',
        'commerce.order.events',
        'commerce.payment.events',
        'commerce.reconciliation.commands',
        'commerce.shipment.events',
      ].sort(),
    );
    expect(isTopicName('commerce.order.events')).toBe(true);
    expect(isTopicName('orders')).toBe(false);
  });
});

describe('topicFor', () => {
  it.each(EVENT_TYPES)('maps %s to the topic of the domain that produces it', (type) => {
    const producer = producerOf(type);
    const expected = producer === 'reconciliation-service' ? TOPICS.reconciliationCommands : `commerce.${producer.replace(/-service$/, '')}.events`;
    expect(topicFor(type)).toBe(expected);
    expect(ALL_TOPICS).toContain(topicFor(type));
  });

  it('never routes an event to the dead-letter topic', () => {
    expect(eventTypesOn(TOPICS.deadLetter)).toEqual([]);
  });
});

describe('eventTypesOn', () => {
  it('partitions the catalog by topic', () => {
    const all = ALL_TOPICS.flatMap((topic) => eventTypesOn(topic));
    expect([...all].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('lists what a consumer of the payment topic may receive', () => {
    expect(eventTypesOn(TOPICS.paymentEvents)).toEqual(['PaymentAuthorized', 'PaymentDeclined', 'PaymentCaptured', 'PaymentVoided', 'PaymentRefunded', 'PaymentRepairRefused']);
  });
});

describe('the catalog', () => {
  it.each(EVENT_TYPES)('gives %s a known producer and a schema for its latest version', (type: EventType) => {
    const definition = EVENT_CATALOG[type];
    expect(ALL_SERVICES).toContain(definition.producer);
    expect(Object.keys(definition.schemas)).toContain(String(definition.latestVersion));
    expect(definition.description.length).toBeGreaterThan(0);
  });

  it('recognises its own type names only', () => {
    expect(isEventType('OrderPlaced')).toBe(true);
    expect(isEventType('constructor')).toBe(false);
    expect(isEventType('orderplaced')).toBe(false);
  });
});
