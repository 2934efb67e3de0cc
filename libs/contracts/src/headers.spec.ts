import { headersFor } from './headers';
import { sampleEvents } from './testing';

describe('headersFor', () => {
  it('mirrors the envelope in string headers', () => {
    const event = sampleEvents.InventoryReserved;
    expect(headersFor(event)).toEqual({
      'event-id': event.eventId,
      'event-type': 'InventoryReserved',
      'event-version': '1',
      'correlation-id': event.correlationId,
      'causation-id': event.causationId,
      'order-id': event.orderId,
      producer: 'inventory-service',
    });
  });

  it('leaves causation-id out for the first event of a flow', () => {
    expect(headersFor(sampleEvents.OrderPlaced)).not.toHaveProperty('causation-id');
  });
});
