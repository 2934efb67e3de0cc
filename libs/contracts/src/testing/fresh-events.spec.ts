import { parseEvent } from '../validate';
import { copyOf, eventFor, inventoryReserved, orderPlaced, shipmentDispatched } from './fresh-events';

const mug = { sku: 'SKU-MUG-RED', quantity: 2, unitPriceMinor: 1250 };
const tee = { sku: 'SKU-TEE-BLUE', quantity: 1, unitPriceMinor: 2500 };

describe('fresh events', () => {
  it('are valid events about the order, with totals matching their lines', () => {
    const placed = orderPlaced('ord-1', [mug, tee]);
    const dispatched = shipmentDispatched('ord-1', 'shp-1', 'wh-berlin', [mug]);
    const events = [placed, inventoryReserved('ord-1', 5000), dispatched, eventFor('PaymentAuthorized', 'ord-1', { amountMinor: 5000 })];
    for (const event of events) expect(parseEvent(event)).toMatchObject({ ok: true });
    expect(events.map((event) => event.orderId)).toEqual(['ord-1', 'ord-1', 'ord-1', 'ord-1']);
    expect(placed.payload.totalMinor).toBe(5000);
    expect(dispatched.payload.valueMinor).toBe(2500);
  });

  it('never share an eventId, and a copy differs from its original only there', () => {
    const first = eventFor('PaymentAuthorized', 'ord-1');
    const again = eventFor('PaymentAuthorized', 'ord-1');
    expect(again.eventId).not.toBe(first.eventId);
    const copy = copyOf(first);
    expect({ ...copy, eventId: first.eventId }).toEqual(first);
    expect(copy.eventId).not.toBe(first.eventId);
  });
});
