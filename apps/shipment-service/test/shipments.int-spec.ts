import { randomUUID } from 'node:crypto';
import { type EventType, milestonesPageSchema } from '@commerce/contracts';
import { sampleEvent, type SampleOverrides } from '@commerce/contracts/testing';
import { eventually, expectHandEditSeen, expectOrderIdScan, type ServiceUnderTest, stateTransitionCounts, transitionsBetween } from '@commerce/testing';
import { shipmentsOf, startShipmentService } from './fixture';

jest.setTimeout(120_000);

/** A fresh order (own orderId and eventIds) built from the shared sample messages. */
function anOrder() {
  const orderId = `ord-${randomUUID()}`;
  const correlationId = randomUUID();
  const event = <T extends EventType>(type: T, overrides: SampleOverrides<T> = {}) =>
    sampleEvent(type, { orderId, correlationId, eventId: randomUUID(), ...overrides });
  return {
    orderId,
    event,
    // 2 × mug (wh-berlin) + 1 × tee (wh-hamburg) = 50.00 EUR
    placed: event('OrderPlaced'),
    reserved: event('InventoryReserved'),
    authorized: event('PaymentAuthorized'),
    cancellation: event('OrderCancellationRequested'),
  };
}

describe('shipment-service on the real broker and Postgres', () => {
  let service: ServiceUnderTest;

  beforeAll(async () => {
    service = await startShipmentService();
  });

  afterAll(async () => {
    await service?.close();
  });

  const milestonesOf = async (orderId: string) => {
    const { status, body } = await service.http('GET', `/milestones?orderIds=${orderId}`);
    expect(status).toBe(200);
    milestonesPageSchema.parse(body);
    return body.items[0];
  };

  describe('when the three facts arrive', () => {
    it('creates one shipment per warehouse node, whichever fact comes last', async () => {
      const order = anOrder();
      await service.produce(order.authorized, order.reserved);
      await eventually(async () => expect((await milestonesOf(order.orderId)).facts.awaitingFacts).toBe('OrderPlaced'));
      expect((await service.http('GET', `/shipments?orderId=${order.orderId}`)).body).toEqual([]);

      await service.produce(order.placed);
      const shipments = await shipmentsOf(service, order.orderId, 2);
      expect(shipments.map((s) => [s.node, s.status, s.valueMinor]).sort()).toEqual([
        ['wh-berlin', 'CREATED', 2500],
        ['wh-hamburg', 'CREATED', 2500],
      ]);
      await eventually(() => expect(service.published(order.orderId, 'ShipmentCreated')).toHaveLength(2));
      const created = service.published(order.orderId, 'ShipmentCreated').find((e) => (e.payload as { node: string }).node === 'wh-berlin');
      expect(created).toMatchObject({
        producer: 'shipment-service',
        correlationId: order.placed.correlationId,
        causationId: order.placed.eventId,
        payload: { node: 'wh-berlin', lines: [{ sku: 'SKU-MUG-RED', quantity: 2, unitPriceMinor: 1250 }] },
      });

      const item = await milestonesOf(order.orderId);
      expect(item.status).toBe('CREATED');
      expect(item.facts).toMatchObject({ shipments: 2, dispatched: 0, currency: 'EUR', cancellationRefused: false });
    });

    it('creates the shipments exactly once when the facts arrive at the same time, for many orders', async () => {
      const orders = Array.from({ length: 10 }, anOrder);
      await Promise.all(orders.flatMap((order) => [service.produce(order.reserved), service.produce(order.authorized), service.produce(order.placed)]));
      for (const order of orders) await shipmentsOf(service, order.orderId, 2);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const order of orders) {
        expect(service.published(order.orderId, 'ShipmentCreated')).toHaveLength(2);
        expect((await service.http('GET', `/shipments?orderId=${order.orderId}`)).body).toHaveLength(2);
      }
    });

    it('changes nothing when a fact is delivered again, as the same event or as a new copy', async () => {
      const order = anOrder();
      await service.produce(order.placed, order.reserved, order.authorized);
      await shipmentsOf(service, order.orderId, 2);
      // Same eventId (a redelivery), then a new eventId (a republish by the producer).
      await service.produce(order.authorized, { ...order.authorized, eventId: randomUUID() }, { ...order.placed, eventId: randomUUID() });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await service.http('GET', `/shipments?orderId=${order.orderId}`)).body).toHaveLength(2);
      expect(service.published(order.orderId, 'ShipmentCreated')).toHaveLength(2);
    });
  });

  describe('when the facts contradict each other', () => {
    it('parks the last fact as a dead letter instead of guessing, and creates nothing', async () => {
      const order = anOrder();
      const unknownSku = order.event('InventoryReserved', { payload: { lines: [{ sku: 'SKU-NOT-ORDERED', quantity: 1, node: 'wh-berlin' }] } });
      await service.produce(order.placed, unknownSku);
      await eventually(async () => expect((await milestonesOf(order.orderId)).facts.awaitingFacts).toBe('PaymentAuthorized'));
      await service.produce(order.authorized);
      await eventually(async () => {
        const { body } = await service.http('GET', '/dead-letters');
        expect(body).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ eventId: order.authorized.eventId, reason: expect.stringContaining('SKU-NOT-ORDERED'), attempts: 1 }),
          ]),
        );
      });
      expect((await service.http('GET', `/shipments?orderId=${order.orderId}`)).body).toEqual([]);
      expect((await milestonesOf(order.orderId)).status).toBe('AWAITING');
    });
  });

  describe('warehouse actions', () => {
    it('dispatches with the shipment value, then delivers; a wrong state is a 409 problem', async () => {
      const order = anOrder();
      await service.produce(order.placed, order.reserved, order.authorized);
      const [first, second] = await shipmentsOf(service, order.orderId, 2);

      const early = await service.http('POST', `/shipments/${first.shipmentId}/deliver`);
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ status: 409, type: expect.stringContaining('shipment-state-conflict'), shipmentStatus: 'CREATED', requiredStatus: 'DISPATCHED' });

      const dispatched = await service.http('POST', `/shipments/${first.shipmentId}/dispatch`);
      expect(dispatched.status).toBe(200);
      expect(dispatched.body).toMatchObject({ shipmentId: first.shipmentId, status: 'DISPATCHED', dispatchedAt: expect.any(String) });
      expect((await service.http('POST', `/shipments/${first.shipmentId}/dispatch`)).status).toBe(409);

      await eventually(() => expect(service.published(order.orderId, 'ShipmentDispatched')).toHaveLength(1));
      const [event] = service.published(order.orderId, 'ShipmentDispatched');
      expect(event).toMatchObject({
        correlationId: order.placed.correlationId,
        payload: { shipmentId: first.shipmentId, node: first.node, valueMinor: 2500, currency: 'EUR', lines: first.lines },
      });
      // A warehouse action continues the flow: caused by the shipment's creation.
      const created = service.published(order.orderId, 'ShipmentCreated').find((e) => (e.payload as { shipmentId: string }).shipmentId === first.shipmentId);
      expect(event.causationId).toBe(created?.eventId);

      expect((await milestonesOf(order.orderId)).status).toBe('PARTIALLY_DISPATCHED');
      expect((await service.http('POST', `/shipments/${second.shipmentId}/dispatch`)).status).toBe(200);
      const both = await milestonesOf(order.orderId);
      expect(both.status).toBe('DISPATCHED');
      expect(both.facts).toMatchObject({ dispatched: 2, dispatchedValueMinor: 5000 });
      expect(both.milestones.filter((m: { name: string }) => m.name === 'DISPATCHED')).toEqual([
        expect.objectContaining({ amountMinor: 2500, currency: 'EUR' }),
        expect.objectContaining({ amountMinor: 2500, currency: 'EUR' }),
      ]);

      expect((await service.http('POST', `/shipments/${first.shipmentId}/deliver`)).body.status).toBe('DELIVERED');
      expect((await service.http('POST', `/shipments/${second.shipmentId}/deliver`)).body.status).toBe('DELIVERED');
      expect((await milestonesOf(order.orderId)).status).toBe('DELIVERED');
      await eventually(() => expect(service.published(order.orderId, 'ShipmentDelivered')).toHaveLength(2));
      expect((await service.http('GET', `/shipments/${first.shipmentId}`)).body).toMatchObject({ status: 'DELIVERED', deliveredAt: expect.any(String) });
    });

    it('answers 404 problem details for an unknown shipment and 400 without an orderId', async () => {
      const missing = await service.http('POST', '/shipments/shp_nope/dispatch');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ status: 404, detail: 'Shipment shp_nope does not exist' });
      expect((await service.http('GET', '/shipments/shp_nope')).status).toBe(404);
      const noOrder = await service.http('GET', '/shipments');
      expect(noOrder.status).toBe(400);
      expect(noOrder.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'orderId' })]));
    });
  });

  describe('when the order is cancelled', () => {
    it('cancels the shipments that have not left', async () => {
      const order = anOrder();
      await service.produce(order.placed, order.reserved, order.authorized);
      const shipments = await shipmentsOf(service, order.orderId, 2);
      await service.produce(order.cancellation);
      await eventually(async () => expect((await milestonesOf(order.orderId)).status).toBe('CANCELLED'));
      await eventually(() => expect(service.published(order.orderId, 'ShipmentCancelled')).toHaveLength(2));
      expect(service.published(order.orderId, 'ShipmentCancelled')[0]).toMatchObject({
        causationId: order.cancellation.eventId,
        payload: { reason: 'customer-request' },
      });
      expect((await service.http('POST', `/shipments/${shipments[0].shipmentId}/dispatch`)).status).toBe(409);
      expect((await milestonesOf(order.orderId)).facts).toMatchObject({ cancelled: 2, dispatched: 0 });
    });

    it('refuses, visibly, for a shipment already dispatched, and cancels the rest', async () => {
      const order = anOrder();
      await service.produce(order.placed, order.reserved, order.authorized);
      const [first, second] = await shipmentsOf(service, order.orderId, 2);
      await service.http('POST', `/shipments/${first.shipmentId}/dispatch`);
      await service.produce(order.cancellation);

      await eventually(async () => expect((await milestonesOf(order.orderId)).status).toBe('CANCELLATION_REFUSED'));
      const item = await milestonesOf(order.orderId);
      expect(item.facts).toMatchObject({ cancellationRefused: true, cancelled: 1, dispatched: 1 });
      expect(item.milestones).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'CANCELLATION_REFUSED', ref: first.shipmentId }),
          expect.objectContaining({ name: 'CANCELLED', ref: second.shipmentId }),
        ]),
      );
      await eventually(() => expect(service.published(order.orderId, 'ShipmentCancellationRefused')).toHaveLength(1));
      expect(service.published(order.orderId, 'ShipmentCancellationRefused')[0].payload).toEqual({
        shipmentId: first.shipmentId,
        reason: 'already dispatched',
      });
      expect((await service.http('GET', `/shipments/${first.shipmentId}`)).body).toMatchObject({
        status: 'DISPATCHED',
        cancellationRefusedReason: 'already dispatched',
      });
    });

    it('never creates shipments when the cancellation comes before the facts are complete', async () => {
      const order = anOrder();
      await service.produce(order.placed, order.reserved);
      await eventually(async () => expect((await milestonesOf(order.orderId)).facts.awaitingFacts).toBe('PaymentAuthorized'));
      await service.produce(order.cancellation);
      await eventually(async () => expect((await milestonesOf(order.orderId)).status).toBe('CANCELLED'));
      await service.produce(order.authorized);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await service.http('GET', `/shipments?orderId=${order.orderId}`)).body).toEqual([]);
      expect(service.published(order.orderId)).toEqual([]);
      expect((await milestonesOf(order.orderId)).milestones).toEqual([
        expect.objectContaining({ name: 'CANCELLED', detail: { reason: 'customer-request', beforeShipmentsCreated: true } }),
      ]);
    });
  });

  describe('GET /metrics', () => {
    it('observes the time each shipment spent in the state it left: dispatched, delivered, cancelled', async () => {
      const before = await stateTransitionCounts(service, 'shipment');
      const order = anOrder();
      await service.produce(order.placed, order.reserved, order.authorized);
      const [first] = await shipmentsOf(service, order.orderId, 2);
      expect((await service.http('POST', `/shipments/${first.shipmentId}/dispatch`)).status).toBe(200);
      expect((await service.http('POST', `/shipments/${first.shipmentId}/deliver`)).status).toBe(200);
      await service.produce(order.cancellation);
      await eventually(() => expect(service.published(order.orderId, 'ShipmentCancelled')).toHaveLength(1));
      // The dispatched one is refused, not cancelled: its DELIVERED stays.
      expect(transitionsBetween(before, await stateTransitionCounts(service, 'shipment'))).toEqual({
        'CREATED>DISPATCHED': 1,
        'DISPATCHED>DELIVERED': 1,
        'CREATED>CANCELLED': 1,
      });
    });
  });

  describe('repair', () => {
    it('republishes its events of the requested types for the order, as new events', async () => {
      const order = anOrder();
      await service.produce(order.placed, order.reserved, order.authorized);
      const [first] = await shipmentsOf(service, order.orderId, 2);
      await service.http('POST', `/shipments/${first.shipmentId}/dispatch`);
      await eventually(() => expect(service.published(order.orderId, 'ShipmentDispatched')).toHaveLength(1));

      await service.produce(
        order.event('RepublishEventsRequested', {
          payload: { caseId: 'case-1', rule: 'dispatched-not-captured', eventTypes: ['ShipmentCreated', 'ShipmentDispatched', 'PaymentAuthorized'], targetService: 'payment-service' },
        }),
      );
      await eventually(() => expect(service.published(order.orderId, 'ShipmentCreated')).toHaveLength(4));
      await eventually(() => expect(service.published(order.orderId, 'ShipmentDispatched')).toHaveLength(2));
      const [original, copy] = service.published(order.orderId, 'ShipmentDispatched');
      expect(copy.payload).toEqual(original.payload);
      expect(copy.eventId).not.toBe(original.eventId);
      // Republishing is not a state change.
      expect((await milestonesOf(order.orderId)).facts).toMatchObject({ shipments: 2, dispatched: 1 });
    });
  });

  describe('edits behind the service’s back (raw SQL)', () => {
    /** An order with its two shipments created. */
    async function orderWithShipments() {
      const order = anOrder();
      await service.produce(order.placed, order.reserved, order.authorized);
      await shipmentsOf(service, order.orderId, 2);
      return order.orderId;
    }

    it('show in /milestones?updatedSince when a shipment is updated', async () => {
      const orderId = await orderWithShipments();
      await expectHandEditSeen(service, orderId, {
        sql: `UPDATE shipment SET status = 'DISPATCHED', dispatched_at = now() WHERE order_id = $1 AND node = 'wh-berlin'`,
        parameters: [orderId],
      });
    });

    it('show when a shipment is deleted', async () => {
      const orderId = await orderWithShipments();
      await expectHandEditSeen(service, orderId, { sql: `DELETE FROM shipment WHERE order_id = $1 AND node = 'wh-hamburg'`, parameters: [orderId] });
    });

    it('show when the order’s facts row itself is updated without touching updated_at', async () => {
      const orderId = await orderWithShipments();
      await expectHandEditSeen(service, orderId, { sql: `UPDATE order_facts SET cancellation_reason = 'hand edit' WHERE order_id = $1`, parameters: [orderId] });
    });
  });

  describe('GET /milestones', () => {
    it('pages the orders changed since an instant, oldest change first', async () => {
      const since = new Date().toISOString();
      const orders = [anOrder(), anOrder(), anOrder()];
      for (const order of orders) await service.produce(order.placed, order.reserved, order.authorized);
      for (const order of orders) await shipmentsOf(service, order.orderId, 2);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query = `/milestones?updatedSince=${encodeURIComponent(since)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const { status, body } = await service.http('GET', query);
        expect(status).toBe(200);
        const page = milestonesPageSchema.parse(body);
        seen.push(...page.items.map((item) => item.orderId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(seen.filter((id) => orders.some((o) => o.orderId === id)).sort()).toEqual(orders.map((o) => o.orderId).sort());
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('scans every order it heard of in orderId order (afterOrderId), page by page', async () => {
      const orders = [anOrder(), anOrder(), anOrder()];
      for (const order of orders) await service.produce(order.placed);
      for (const order of orders) await eventually(async () => expect(await milestonesOf(order.orderId)).toBeDefined());
      const stored: Array<{ order_id: string }> = await service.dataSource.query('SELECT order_id FROM order_facts');
      await expectOrderIdScan(service, stored.map((row) => row.order_id));
    });

    it('answers only for known orders, and 400 without orderIds or updatedSince', async () => {
      const order = anOrder();
      await service.produce(order.placed);
      await eventually(async () => expect(await milestonesOf(order.orderId)).toBeDefined());
      const { body } = await service.http('GET', `/milestones?orderIds=${order.orderId},never-heard-of`);
      expect(body.items.map((i: { orderId: string }) => i.orderId)).toEqual([order.orderId]);
      expect(body.items[0].status).toBe('AWAITING');

      const missing = await service.http('GET', '/milestones');
      expect(missing.status).toBe(400);
      expect(missing.body.errors.map((error: { field: string }) => error.field)).toEqual(['orderIds', 'updatedSince', 'afterOrderId']);
      expect((await service.http('GET', '/milestones?updatedSince=yesterday')).status).toBe(400);
      expect((await service.http('GET', '/milestones?updatedSince=2025-01-01T00:00:00Z&limit=5000')).status).toBe(400);
      expect((await service.http('GET', '/milestones?cursor=garbage')).status).toBe(400);
      const tooMany = Array.from({ length: 1001 }, (_, i) => `o${i}`).join(',');
      expect((await service.http('GET', `/milestones?orderIds=${tooMany}`)).status).toBe(400);
    });
  });
});
