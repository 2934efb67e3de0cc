import { randomUUID } from 'node:crypto';
import type { EventType } from '@commerce/contracts';
import { sampleEvent } from '@commerce/contracts/testing';
import { eventually, type ServiceUnderTest } from '@commerce/testing';
import { startShipmentService } from './fixture';

jest.setTimeout(120_000);

describe('auto-dispatch (demo warehouse), when switched on', () => {
  let service: ServiceUnderTest;

  beforeAll(async () => {
    service = await startShipmentService({ AUTO_DISPATCH_SECONDS: '1', AUTO_DELIVER_SECONDS: '1', AUTO_SWEEP_INTERVAL_MS: '200' });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('dispatches, then delivers, shipments that waited long enough', async () => {
    const orderId = `ord-${randomUUID()}`;
    const event = (type: EventType) => sampleEvent(type, { orderId, eventId: randomUUID() });
    await service.produce(event('OrderPlaced'), event('InventoryReserved'), event('PaymentAuthorized'));

    await eventually(async () => {
      const { body } = await service.http('GET', `/shipments?orderId=${orderId}`);
      expect(body.map((s: { status: string }) => s.status)).toEqual(['DELIVERED', 'DELIVERED']);
    }, { timeoutMs: 15_000 });
    await eventually(() => expect(service.published(orderId, 'ShipmentDispatched')).toHaveLength(2));
    await eventually(() => expect(service.published(orderId, 'ShipmentDelivered')).toHaveLength(2));
    const { body } = await service.http('GET', `/shipments?orderId=${orderId}`);
    for (const shipment of body) {
      expect(Date.parse(shipment.dispatchedAt) - Date.parse(shipment.createdAt)).toBeGreaterThanOrEqual(1000);
      expect(Date.parse(shipment.deliveredAt) - Date.parse(shipment.dispatchedAt)).toBeGreaterThanOrEqual(1000);
    }
  });
});
