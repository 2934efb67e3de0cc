import { EVENT_TYPES } from '../catalog';
import { parseEvent } from '../validate';
import { SAMPLE_IDS, sampleEvent, sampleEvents } from './sample-events';

describe('sampleEvents', () => {
  it('has exactly one sample per event type', () => {
    expect(Object.keys(sampleEvents).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES)('holds a %s that parseEvent accepts', (type) => {
    expect(sampleEvents[type].type).toBe(type);
    expect(parseEvent(sampleEvents[type]).ok).toBe(true);
  });

  it('uses distinct event ids, all about one order and one flow', () => {
    const all = Object.values(sampleEvents);
    expect(new Set(all.map((event) => event.eventId)).size).toBe(all.length);
    expect(new Set(all.map((event) => event.orderId))).toEqual(new Set([SAMPLE_IDS.orderId]));
    expect(new Set(all.map((event) => event.correlationId))).toEqual(new Set([SAMPLE_IDS.correlationId]));
  });

  it('chains causation to earlier samples', () => {
    const ids = new Map(Object.values(sampleEvents).map((event) => [event.eventId, event]));
    for (const event of Object.values(sampleEvents)) {
      if (event.causationId !== null) {
        expect(ids.get(event.causationId)!.occurredAt < event.occurredAt).toBe(true);
      }
    }
    expect(sampleEvents.InventoryReserved.causationId).toBe(sampleEvents.OrderPlaced.eventId);
    expect(sampleEvents.PaymentAuthorized.causationId).toBe(sampleEvents.InventoryReserved.eventId);
  });

  it('cannot be changed by a test by accident', () => {
    expect(() => {
      (sampleEvents.OrderPlaced.payload.lines[0] as { quantity: number }).quantity = 99;
    }).toThrow(TypeError);
  });
});

describe('sampleEvent', () => {
  it('returns a mutable copy with envelope and payload fields overridden', () => {
    const event = sampleEvent('PaymentAuthorized', { orderId: 'ord-9', payload: { amountMinor: 700 } });
    expect(event).toEqual({
      ...sampleEvents.PaymentAuthorized,
      orderId: 'ord-9',
      payload: { ...sampleEvents.PaymentAuthorized.payload, amountMinor: 700 },
    });
    event.payload.currency = 'USD';
    expect(sampleEvents.PaymentAuthorized.payload.currency).toBe('EUR');
  });
});
