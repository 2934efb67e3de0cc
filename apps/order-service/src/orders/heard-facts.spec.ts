import { sampleEvent } from '@commerce/contracts/testing';
import { factOf } from './heard-facts';

describe('factOf', () => {
  it('keeps the reservation id and the amount of a reservation', () => {
    const event = sampleEvent('InventoryReserved');
    expect(factOf(event)).toEqual({ event: 'InventoryReserved', at: event.occurredAt, ref: 'res_2001', amountMinor: 5000, currency: 'EUR' });
  });

  it('keeps why inventory rejected the order, with no ref', () => {
    expect(factOf(sampleEvent('InventoryRejected'))).toMatchObject({ ref: null, detail: { reason: 'insufficient-stock' } });
  });

  it('tells captures apart by the shipment they capture', () => {
    expect(factOf(sampleEvent('PaymentCaptured'))).toMatchObject({ ref: 'shp_4001', amountMinor: 2500, detail: { paymentId: 'pay_3001' } });
  });

  it('keeps the value of a dispatched shipment', () => {
    expect(factOf(sampleEvent('ShipmentDispatched'))).toMatchObject({ ref: 'shp_4001', amountMinor: 2500, currency: 'EUR' });
  });

  it('keeps the reason of a refused cancellation', () => {
    expect(factOf(sampleEvent('ShipmentCancellationRefused'))).toMatchObject({
      event: 'ShipmentCancellationRefused',
      ref: 'shp_4001',
      detail: { reason: 'already-dispatched' },
    });
  });
});
