import { milestonesPageSchema, TOPICS } from '@commerce/contracts';
import { copyOf, eventFor, orderPlaced, shipmentDispatched } from '@commerce/contracts/testing';
import {
  eventually,
  expectHandEditSeen,
  expectOrderIdScan,
  type ServiceUnderTest,
  startServiceUnderTest,
  stateTransitionCounts,
  transitionsBetween,
  uniqueName,
} from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { inventoryService } from '../src/service';

jest.setTimeout(120_000);

const mug = (quantity: number, sku: string) => ({ sku, quantity, unitPriceMinor: 1250 });
const tee = (quantity: number, sku: string) => ({ sku, quantity, unitPriceMinor: 2500 });

describe('inventory-service on the real broker and Postgres', () => {
  let inventory: ServiceUnderTest;

  beforeAll(async () => {
    inventory = await startServiceUnderTest({
      ...inventoryService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      watch: [TOPICS.inventoryEvents],
    });
  });

  afterAll(async () => {
    await inventory?.close();
  });

  async function setStock(sku: string, node: string, onHand: number): Promise<void> {
    const answer = await inventory.http('PUT', `/stock/${sku}/${node}`, { body: { onHand } });
    if (answer.status !== 200) throw new Error(`PUT /stock/${sku}/${node} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }

  /** SKUs of one test only, so tests never share stock. */
  const skus = () => ({ mug: uniqueName('MUG'), tee: uniqueName('TEE') });

  async function reservationOf(orderId: string, status?: string) {
    return eventually(async () => {
      const answer = await inventory.http('GET', `/reservations/${orderId}`);
      expect(answer.status).toBe(200);
      if (status) expect(answer.body.status).toBe(status);
      return answer.body;
    });
  }

  async function stockOf(sku: string) {
    return (await inventory.http('GET', `/stock/${sku}`)).body;
  }

  /** An order of 2 mugs (from wh-berlin) and 1 tee (from wh-hamburg), each with `stock` on hand there, RESERVED. */
  async function reservedOrder(stock = 5) {
    const { mug: mugSku, tee: teeSku } = skus();
    await setStock(mugSku, 'wh-berlin', stock);
    await setStock(teeSku, 'wh-hamburg', stock);
    const orderId = uniqueName('order');
    await inventory.produce(orderPlaced(orderId, [mug(2, mugSku), tee(1, teeSku)]));
    const { reservationId } = await reservationOf(orderId, 'RESERVED');
    return { orderId, reservationId: reservationId as string, mugSku, teeSku };
  }

  async function milestonesOf(orderId: string) {
    const answer = await inventory.http('GET', `/milestones?orderIds=${orderId}`);
    expect(answer.status).toBe(200);
    return milestonesPageSchema.parse(answer.body).items[0];
  }

  describe('when an order is placed', () => {
    it('reserves every line at the first node (alphabetically) that has the whole line, lines from different nodes', async () => {
      const { mug: mugSku, tee: teeSku } = skus();
      await setStock(mugSku, 'wh-hamburg', 10);
      await setStock(mugSku, 'wh-berlin', 10);
      await setStock(teeSku, 'wh-berlin', 0);
      await setStock(teeSku, 'wh-hamburg', 3);
      const orderId = uniqueName('order');
      const placed = orderPlaced(orderId, [mug(2, mugSku), tee(1, teeSku)]);

      await inventory.produce(placed);

      const reservation = await reservationOf(orderId, 'RESERVED');
      expect(reservation.nodes).toEqual(['wh-berlin', 'wh-hamburg']);
      const [reserved] = await eventually(() => {
        const events = inventory.published(orderId, 'InventoryReserved');
        expect(events).toHaveLength(1);
        return events;
      });
      expect(reserved.payload).toEqual({
        reservationId: reservation.reservationId,
        lines: [
          { sku: mugSku, quantity: 2, node: 'wh-berlin' },
          { sku: teeSku, quantity: 1, node: 'wh-hamburg' },
        ],
        totalMinor: 5000,
        currency: 'EUR',
      });
      expect(reserved).toMatchObject({ correlationId: placed.correlationId, causationId: placed.eventId, producer: 'inventory-service' });
      expect(await stockOf(mugSku)).toMatchObject({ onHand: 20, reserved: 2, available: 18 });
      expect((await stockOf(teeSku)).nodes).toEqual([
        expect.objectContaining({ node: 'wh-berlin', onHand: 0, reserved: 0 }),
        expect.objectContaining({ node: 'wh-hamburg', onHand: 3, reserved: 1, available: 2 }),
      ]);
      expect(await milestonesOf(orderId)).toMatchObject({
        status: 'RESERVED',
        milestones: [{ name: 'RESERVED', quantity: 3, ref: reservation.reservationId }],
        facts: { reservedUnits: 3, committedUnits: 0, releasedUnits: 0, requestedUnits: 3 },
      });
    });

    it('rejects the whole order and reserves nothing when one line cannot be served whole at any node', async () => {
      const { mug: mugSku, tee: teeSku } = skus();
      await setStock(mugSku, 'wh-berlin', 5);
      await setStock(teeSku, 'wh-berlin', 2);
      await setStock(teeSku, 'wh-hamburg', 2);
      const orderId = uniqueName('order');

      await inventory.produce(orderPlaced(orderId, [mug(1, mugSku), tee(3, teeSku)]));

      await reservationOf(orderId, 'REJECTED');
      const [rejected] = await eventually(() => {
        const events = inventory.published(orderId, 'InventoryRejected');
        expect(events).toHaveLength(1);
        return events;
      });
      expect(rejected.payload).toEqual({ reason: 'insufficient-stock', unavailable: [{ sku: teeSku, requested: 3, available: 4 }] });
      expect(inventory.published(orderId, 'InventoryReserved')).toHaveLength(0);
      expect(await stockOf(mugSku)).toMatchObject({ reserved: 0, available: 5 });
      expect(await stockOf(teeSku)).toMatchObject({ reserved: 0, available: 4 });
      expect(await milestonesOf(orderId)).toMatchObject({
        status: 'REJECTED',
        milestones: [{ name: 'REJECTED', quantity: 4, detail: { reason: 'insufficient-stock' } }],
        facts: { reservedUnits: 0, requestedUnits: 4 },
      });
    });

    it('never oversells: 20 orders placed at once for 10 units get exactly 10 reservations', async () => {
      const { mug: mugSku } = skus();
      await setStock(mugSku, 'wh-berlin', 6);
      await setStock(mugSku, 'wh-hamburg', 4);
      const orderIds = Array.from({ length: 20 }, () => uniqueName('race'));

      await inventory.produce(...orderIds.map((orderId) => orderPlaced(orderId, [mug(1, mugSku)])));

      const decided = await eventually(
        async () => {
          const answer = await inventory.http('GET', `/milestones?orderIds=${orderIds.join(',')}`);
          expect(answer.body.items).toHaveLength(20);
          return answer.body.items as Array<{ status: string }>;
        },
        { timeoutMs: 60_000 },
      );
      expect(decided.filter((item) => item.status === 'RESERVED')).toHaveLength(10);
      expect(decided.filter((item) => item.status === 'REJECTED')).toHaveLength(10);
      expect(await stockOf(mugSku)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
      await eventually(() => {
        const reservedEvents = orderIds.flatMap((orderId) => inventory.published(orderId, 'InventoryReserved'));
        const rejectedEvents = orderIds.flatMap((orderId) => inventory.published(orderId, 'InventoryRejected'));
        expect([reservedEvents.length, rejectedEvents.length]).toEqual([10, 10]);
      });
    });

    it('applies a redelivered OrderPlaced, or a copy under a new eventId, only once', async () => {
      const { mug: mugSku } = skus();
      await setStock(mugSku, 'wh-berlin', 10);
      const orderId = uniqueName('order');
      const placed = orderPlaced(orderId, [mug(3, mugSku)]);
      await inventory.produce(placed);
      await reservationOf(orderId, 'RESERVED');

      const copy = copyOf(placed);
      await inventory.produce(placed, copy);

      await eventually(async () => expect(await inventory.processed(copy.eventId)).toBe(true));
      expect(await stockOf(mugSku)).toMatchObject({ reserved: 3, available: 7 });
      expect(await inventory.outbox(orderId, 'InventoryReserved')).toHaveLength(1);
    });
  });

  describe('when the order does not go ahead', () => {
    it('releases the reservation when payment is declined, once', async () => {
      const { orderId, reservationId, mugSku, teeSku } = await reservedOrder(4);

      const declined = eventFor('PaymentDeclined', orderId, { reason: 'card declined' });
      await inventory.produce(declined, copyOf(declined));

      await reservationOf(orderId, 'RELEASED');
      await eventually(async () => expect(await inventory.processed(declined.eventId)).toBe(true));
      expect(await inventory.outbox(orderId, 'InventoryReleased')).toHaveLength(1);
      const released = await eventually(() => {
        const events = inventory.published(orderId, 'InventoryReleased');
        expect(events).toHaveLength(1);
        return events[0];
      });
      expect(released.payload).toEqual({
        reservationId,
        reason: 'payment-declined',
        lines: [
          { sku: mugSku, quantity: 2, node: 'wh-berlin' },
          { sku: teeSku, quantity: 1, node: 'wh-hamburg' },
        ],
      });
      expect(await stockOf(mugSku)).toMatchObject({ onHand: 4, reserved: 0 });
      expect(await stockOf(teeSku)).toMatchObject({ onHand: 4, reserved: 0 });
      expect(await milestonesOf(orderId)).toMatchObject({
        status: 'RELEASED',
        milestones: [{ name: 'RESERVED' }, { name: 'RELEASED', quantity: 3, detail: { reason: 'payment-declined' } }],
        facts: { reservedUnits: 0, releasedUnits: 3, committedUnits: 0 },
      });
    });

    it('on cancellation releases only what was not dispatched yet', async () => {
      const { orderId, mugSku, teeSku } = await reservedOrder();
      await inventory.produce(shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug(2, mugSku)]));
      await reservationOf(orderId, 'PARTIALLY_COMMITTED');

      await inventory.produce(eventFor('OrderCancellationRequested', orderId, { reason: 'customer-request' }));

      const reservation = await reservationOf(orderId, 'RELEASED');
      expect(reservation.lines).toEqual([
        { sku: mugSku, node: 'wh-berlin', quantity: 2, committedQuantity: 2, releasedQuantity: 0 },
        { sku: teeSku, node: 'wh-hamburg', quantity: 1, committedQuantity: 0, releasedQuantity: 1 },
      ]);
      const released = await eventually(() => {
        const events = inventory.published(orderId, 'InventoryReleased');
        expect(events).toHaveLength(1);
        return events[0];
      });
      expect(released.payload).toMatchObject({ reason: 'order-cancelled', lines: [{ sku: teeSku, quantity: 1, node: 'wh-hamburg' }] });
      expect(await stockOf(mugSku)).toMatchObject({ onHand: 3, reserved: 0 });
      expect(await stockOf(teeSku)).toMatchObject({ onHand: 5, reserved: 0 });
      expect((await milestonesOf(orderId)).facts).toMatchObject({ reservedUnits: 0, committedUnits: 2, releasedUnits: 1 });
    });
  });

  describe('when shipments are dispatched', () => {
    it('commits each shipment once, and the reservation once everything left', async () => {
      const before = await stateTransitionCounts(inventory, 'reservation');
      const { orderId, reservationId, mugSku, teeSku } = await reservedOrder();
      const berlin = shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug(2, mugSku)]);
      const hamburg = shipmentDispatched(orderId, uniqueName('shp'), 'wh-hamburg', [tee(1, teeSku)]);

      // The Berlin dispatch arrives three times: redelivered, and re-sent under a new eventId.
      await inventory.produce(berlin, berlin, copyOf(berlin));
      await reservationOf(orderId, 'PARTIALLY_COMMITTED');
      await inventory.produce(hamburg);

      await reservationOf(orderId, 'COMMITTED');
      expect(await inventory.outbox(orderId, 'InventoryCommitted')).toHaveLength(2);
      expect(await stockOf(mugSku)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
      expect(await stockOf(teeSku)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
      const committed = await eventually(() => {
        const events = inventory.published(orderId, 'InventoryCommitted');
        expect(events).toHaveLength(2);
        return events;
      });
      expect(committed.map((event) => event.payload)).toEqual([
        { reservationId, shipmentId: berlin.payload.shipmentId, lines: [{ sku: mugSku, quantity: 2, node: 'wh-berlin' }] },
        { reservationId, shipmentId: hamburg.payload.shipmentId, lines: [{ sku: teeSku, quantity: 1, node: 'wh-hamburg' }] },
      ]);
      expect(await milestonesOf(orderId)).toMatchObject({
        status: 'COMMITTED',
        milestones: [
          { name: 'RESERVED', quantity: 3 },
          { name: 'COMMITTED', ref: berlin.payload.shipmentId, quantity: 2 },
          { name: 'COMMITTED', ref: hamburg.payload.shipmentId, quantity: 1 },
        ],
        facts: { reservedUnits: 0, committedUnits: 3, releasedUnits: 0 },
      });

      // A late cancellation finds nothing left to release.
      const cancel = eventFor('OrderCancellationRequested', orderId, { reason: 'too late' });
      await inventory.produce(cancel);
      await eventually(async () => expect(await inventory.processed(cancel.eventId)).toBe(true));
      expect((await reservationOf(orderId)).status).toBe('COMMITTED');
      expect(await inventory.outbox(orderId, 'InventoryReleased')).toHaveLength(0);
      // Each status left once, whatever was delivered twice: the time spent in it observed once.
      expect(transitionsBetween(before, await stateTransitionCounts(inventory, 'reservation'))).toEqual({
        'RESERVED>PARTIALLY_COMMITTED': 1,
        'PARTIALLY_COMMITTED>COMMITTED': 1,
      });
    });
  });

  describe('repair commands', () => {
    it('releases a reservation on ReleaseReservationRequested, once', async () => {
      const { mug: mugSku } = skus();
      await setStock(mugSku, 'wh-berlin', 2);
      const orderId = uniqueName('order');
      await inventory.produce(orderPlaced(orderId, [mug(2, mugSku)]));
      const { reservationId } = await reservationOf(orderId, 'RESERVED');

      const repair = eventFor('ReleaseReservationRequested', orderId, { caseId: 'case-1', rule: 'declined-still-reserved', reservationId });
      const again = copyOf(repair);
      await inventory.produce(repair, again);

      await reservationOf(orderId, 'RELEASED');
      await eventually(async () => expect(await inventory.processed(again.eventId)).toBe(true));
      expect(await inventory.outbox(orderId, 'InventoryReleased')).toHaveLength(1);
      await eventually(() => expect(inventory.published(orderId, 'InventoryReleased')).toHaveLength(1));
      expect(inventory.published(orderId, 'InventoryReleased')[0].payload.reason).toBe('reconciliation-repair');
      expect(await stockOf(mugSku)).toMatchObject({ onHand: 2, reserved: 0 });
    });

    it('refuses a ReleaseReservationRequested it cannot carry out with InventoryRepairRefused, once, naming the command and why', async () => {
      const { mug: mugSku } = skus();
      await setStock(mugSku, 'wh-berlin', 2);
      const orderId = uniqueName('order');
      await inventory.produce(orderPlaced(orderId, [mug(1, mugSku)]));
      const { reservationId } = await reservationOf(orderId, 'RESERVED');
      await inventory.produce(eventFor('PaymentDeclined', orderId));
      await reservationOf(orderId, 'RELEASED');

      // Released already (the case saw it reserved): nothing left to release.
      const repair = eventFor('ReleaseReservationRequested', orderId, { caseId: 'case-refused', rule: 'declined-still-reserved', reservationId });
      // And one naming a reservation the order does not have.
      const elsewhere = eventFor('ReleaseReservationRequested', orderId, { caseId: 'case-elsewhere', rule: 'declined-still-reserved', reservationId: 'res-other' });
      // Delivered twice (a redelivery, same eventId): the inbox answers it once.
      await inventory.produce(repair, { ...repair }, elsewhere);

      const refusals = await eventually(() => {
        const events = inventory.published(orderId, 'InventoryRepairRefused');
        expect(events).toHaveLength(2);
        return events;
      });
      const refused = refusals.find((event) => event.payload.caseId === 'case-refused');
      expect(refused?.causationId).toBe(repair.eventId);
      expect(refused?.payload).toEqual({
        caseId: 'case-refused',
        rule: 'declined-still-reserved',
        commandEventId: repair.eventId,
        commandType: 'ReleaseReservationRequested',
        reason: `nothing to release (reservation ${reservationId} is RELEASED)`,
      });
      expect(refusals.find((event) => event.payload.caseId === 'case-elsewhere')?.payload.reason).toBe(`the order's reservation is ${reservationId}, not res-other`);
      expect(await inventory.outbox(orderId, 'InventoryReleased')).toHaveLength(1);
      expect(await stockOf(mugSku)).toMatchObject({ onHand: 2, reserved: 0 });
    });

    it('republishes InventoryReserved from stored data as a new event', async () => {
      const { mug: mugSku } = skus();
      await setStock(mugSku, 'wh-berlin', 2);
      const orderId = uniqueName('order');
      await inventory.produce(orderPlaced(orderId, [mug(1, mugSku)]));
      await reservationOf(orderId, 'RESERVED');
      const [original] = await eventually(() => {
        const events = inventory.published(orderId, 'InventoryReserved');
        expect(events).toHaveLength(1);
        return events;
      });

      await inventory.produce(
        eventFor('RepublishEventsRequested', orderId, {
          caseId: 'case-2',
          rule: 'stuck-at-payment',
          eventTypes: ['InventoryReserved', 'OrderPlaced'],
          targetService: 'payment-service',
        }),
      );

      const events = await eventually(() => {
        const all = inventory.published(orderId, 'InventoryReserved');
        expect(all).toHaveLength(2);
        return all;
      });
      expect(events[1].eventId).not.toBe(original.eventId);
      expect(events[1].payload).toEqual(original.payload);
      expect(await stockOf(mugSku)).toMatchObject({ reserved: 1 });
    });
  });

  describe('edits behind the service’s back (raw SQL)', () => {
    /** An order reserved on two lines, one shipment committed: a reservation row, its lines, a commit row. */
    async function partlyCommittedOrder() {
      const { orderId, reservationId, mugSku } = await reservedOrder();
      await inventory.produce(shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug(2, mugSku)]));
      await reservationOf(orderId, 'PARTIALLY_COMMITTED');
      return { orderId, reservationId };
    }

    it('show in /milestones?updatedSince when a reservation line is updated', async () => {
      const { orderId, reservationId } = await partlyCommittedOrder();
      await expectHandEditSeen(inventory, orderId, {
        sql: 'UPDATE reservation_line SET released_quantity = quantity - committed_quantity WHERE reservation_id = $1',
        parameters: [reservationId],
      });
    });

    it('show when a commit row is updated or deleted', async () => {
      const updated = await partlyCommittedOrder();
      await expectHandEditSeen(inventory, updated.orderId, { sql: 'UPDATE reservation_commit SET units = units + 1 WHERE reservation_id = $1', parameters: [updated.reservationId] });
      const deleted = await partlyCommittedOrder();
      await expectHandEditSeen(inventory, deleted.orderId, { sql: 'DELETE FROM reservation_commit WHERE reservation_id = $1', parameters: [deleted.reservationId] });
    });

    it('show when the reservation row itself is updated without touching updated_at', async () => {
      const { orderId } = await partlyCommittedOrder();
      await expectHandEditSeen(inventory, orderId, { sql: `UPDATE reservation SET status = 'RELEASED' WHERE order_id = $1`, parameters: [orderId] });
    });
  });

  describe('REST', () => {
    it('answers bad stock input with problem details naming the field, and refuses on-hand below reserved', async () => {
      const { mug: mugSku } = skus();
      const invalid = await inventory.http('PUT', `/stock/${mugSku}/wh-berlin`, { body: { onHand: -1 } });
      expect(invalid.status).toBe(400);
      expect(invalid.headers.get('content-type')).toContain('application/problem+json');
      expect(invalid.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'onHand' })]));
      const badNode = await inventory.http('PUT', `/stock/${mugSku}/${encodeURIComponent('wh berlin')}`, { body: { onHand: 1 } });
      expect(badNode.status).toBe(400);
      expect(badNode.body.errors[0].field).toBe('node');

      await setStock(mugSku, 'wh-berlin', 5);
      const orderId = uniqueName('order');
      await inventory.produce(orderPlaced(orderId, [mug(4, mugSku)]));
      await reservationOf(orderId, 'RESERVED');

      const conflict = await inventory.http('PUT', `/stock/${mugSku}/wh-berlin`, { body: { onHand: 3 } });
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({
        type: 'https://commerce-backbone.dev/problems/stock-below-reserved',
        status: 409,
        reserved: 4,
        requestedOnHand: 3,
      });
      expect(await stockOf(mugSku)).toMatchObject({ onHand: 5, reserved: 4 });
      expect((await inventory.http('PUT', `/stock/${mugSku}/wh-berlin`, { body: { onHand: 4 } })).status).toBe(200);
    });

    it('pages GET /stock by sku and node', async () => {
      const { mug: mugSku } = skus();
      for (const node of ['n-a', 'n-b', 'n-c']) await setStock(mugSku, node, 1);
      const first = await inventory.http('GET', `/stock?sku=${mugSku}&limit=2`);
      expect(first.body.items.map((item: { node: string }) => item.node)).toEqual(['n-a', 'n-b']);
      const second = await inventory.http('GET', `/stock?sku=${mugSku}&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body).toMatchObject({ items: [{ node: 'n-c' }], nextCursor: null });
      expect((await inventory.http('GET', '/stock?limit=0')).status).toBe(400);
      expect((await inventory.http('GET', '/stock/UNKNOWN-SKU')).status).toBe(404);
    });

    it('scans every reservation in orderId order (afterOrderId), page by page', async () => {
      const { mug: mugSku } = skus();
      await setStock(mugSku, 'wh-berlin', 10);
      const orderIds = [uniqueName('scan'), uniqueName('scan'), uniqueName('scan')];
      await inventory.produce(...orderIds.map((orderId) => orderPlaced(orderId, [mug(1, mugSku)])));
      for (const orderId of orderIds) await reservationOf(orderId, 'RESERVED');
      const stored: Array<{ order_id: string }> = await inventory.dataSource.query('SELECT order_id FROM reservation');
      await expectOrderIdScan(inventory, stored.map((row) => row.order_id));
    });

    it('pages GET /milestones by updatedSince and refuses a request naming neither parameter', async () => {
      const { mug: mugSku } = skus();
      await setStock(mugSku, 'wh-berlin', 10);
      const since = new Date(Date.now() - 1000).toISOString();
      const orderIds = [uniqueName('page'), uniqueName('page'), uniqueName('page')];
      await inventory.produce(...orderIds.map((orderId) => orderPlaced(orderId, [mug(1, mugSku)])));
      for (const orderId of orderIds) await reservationOf(orderId, 'RESERVED');

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const answer = await inventory.http('GET', `/milestones?updatedSince=${since}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(answer.status).toBe(200);
        const page = milestonesPageSchema.parse(answer.body);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.orderId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expect.arrayContaining(orderIds));
      expect(new Set(seen).size).toBe(seen.length);

      const missing = await inventory.http('GET', '/milestones');
      expect(missing.status).toBe(400);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      expect((await inventory.http('GET', '/milestones?orderIds=unknown-order')).body).toEqual({
        service: 'inventory-service',
        items: [],
        nextCursor: null,
      });
    });
  });
});
