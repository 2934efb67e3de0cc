import { CompactPageReader, type EventType, expandOrderMilestones, fullOrderMilestones, milestonesPageSchema, TOPICS } from '@commerce/contracts';
import { copyOf, eventFor, inventoryReserved, orderPlaced, shipmentDispatched } from '@commerce/contracts/testing';
import { MilestoneDocumentRefresher, MilestoneDocumentsCompact1764400000000 } from '@commerce/milestones';
import {
  eventually,
  expectHandEditSeen,
  expectOrderIdScan,
  type HttpResult,
  scanInOrderIdOrder,
  type ServiceUnderTest,
  startServiceUnderTest,
  stateTransitionCounts,
  transitionsBetween,
  uniqueName,
} from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { paymentService } from '../src/service';

jest.setTimeout(120_000);

const GATEWAY_TIMEOUT_MS = 150;
const RETRY_BASE_MS = 50;

const mug = { sku: 'SKU-MUG-RED', quantity: 2, unitPriceMinor: 1250 };
const tee = { sku: 'SKU-TEE-BLUE', quantity: 1, unitPriceMinor: 2500 };
/** 2 × 12.50 + 1 × 25.00 = 50.00 EUR, shipped as two parcels of 25.00. */
const TOTAL = 5000;

describe('payment-service on the real broker and Postgres', () => {
  let payment: ServiceUnderTest;

  beforeAll(async () => {
    payment = await startServiceUnderTest({
      ...paymentService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      env: {
        GATEWAY_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS),
        GATEWAY_RETRY_BASE_MS: String(RETRY_BASE_MS),
        GATEWAY_TIMEOUT_RETRIES: '3',
        GATEWAY_SLOW_MS: '50',
        MILESTONE_DOCUMENTS_REFRESH_MS: '200',
      },
      watch: [TOPICS.paymentEvents],
    });
  });

  afterAll(async () => {
    await payment?.close();
  });

  async function paymentOf(orderId: string, status?: string) {
    return eventually(async () => {
      const answer = await payment.http('GET', `/payments/${orderId}`);
      expect(answer.status).toBe(200);
      if (status) expect(answer.body.status).toBe(status);
      return answer.body;
    });
  }

  async function milestonesOf(orderId: string) {
    const answer = await payment.http('GET', `/milestones?orderIds=${orderId}`);
    expect(answer.status).toBe(200);
    return milestonesPageSchema.parse(answer.body).items[0];
  }

  function published<T extends EventType>(orderId: string, type: T, count = 1) {
    return eventually(() => {
      const events = payment.published(orderId, type);
      expect(events).toHaveLength(count);
      return events;
    });
  }

  /** An order taken to AUTHORIZED. */
  async function authorizedOrder(token = 'tok_ok') {
    const orderId = uniqueName('order');
    await payment.produce(orderPlaced(orderId, [mug, tee], token), inventoryReserved(orderId, TOTAL));
    const { paymentId } = await paymentOf(orderId, 'AUTHORIZED');
    return { orderId, paymentId: paymentId as string };
  }

  describe('authorization', () => {
    it('authorizes the reserved total once OrderPlaced and InventoryReserved are both in', async () => {
      const orderId = uniqueName('order');
      const reserved = inventoryReserved(orderId, TOTAL);
      await payment.produce(orderPlaced(orderId, [mug, tee]), reserved);

      const view = await paymentOf(orderId, 'AUTHORIZED');
      const [authorized] = await published(orderId, 'PaymentAuthorized');
      expect(authorized.payload).toEqual({ paymentId: view.paymentId, amountMinor: TOTAL, currency: 'EUR' });
      expect(authorized.producer).toBe('payment-service');
      expect(await milestonesOf(orderId)).toMatchObject({
        status: 'AUTHORIZED',
        milestones: [{ name: 'AUTHORIZED', amountMinor: TOTAL, currency: 'EUR', ref: view.paymentId }],
        facts: { authorizedMinor: TOTAL, capturedMinor: 0, refundedMinor: 0, voidedMinor: 0, currency: 'EUR' },
      });
    });

    it('waits while only InventoryReserved is in, then authorizes when OrderPlaced arrives', async () => {
      const orderId = uniqueName('order');
      const reserved = inventoryReserved(orderId, TOTAL);
      await payment.produce(reserved);
      await eventually(async () => expect(await payment.processed(reserved.eventId)).toBe(true));
      expect(await paymentOf(orderId)).toMatchObject({ status: 'PENDING', waitingFor: ['OrderPlaced'], authorizedMinor: 0 });
      expect(await milestonesOf(orderId)).toMatchObject({ status: 'PENDING', milestones: [] });

      await payment.produce(orderPlaced(orderId, [mug, tee]));

      await paymentOf(orderId, 'AUTHORIZED');
      await published(orderId, 'PaymentAuthorized');
    });

    it('waits while only OrderPlaced is in, then authorizes when InventoryReserved arrives', async () => {
      const orderId = uniqueName('order');
      const placed = orderPlaced(orderId, [mug, tee]);
      await payment.produce(placed);
      await eventually(async () => expect(await payment.processed(placed.eventId)).toBe(true));
      expect(await paymentOf(orderId)).toMatchObject({ status: 'PENDING', waitingFor: ['InventoryReserved'] });

      await payment.produce(inventoryReserved(orderId, TOTAL));

      await paymentOf(orderId, 'AUTHORIZED');
    });

    it('authorizes each order exactly once when both halves arrive at the same moment', async () => {
      const orderIds = Array.from({ length: 12 }, () => uniqueName('race'));
      await payment.produce(...orderIds.flatMap((orderId) => [orderPlaced(orderId, [mug, tee]), inventoryReserved(orderId, TOTAL)]));

      for (const orderId of orderIds) await paymentOf(orderId, 'AUTHORIZED');
      for (const orderId of orderIds) expect(await payment.outbox(orderId, 'PaymentAuthorized')).toHaveLength(1);
    });

    it('applies a copy of InventoryReserved under a new eventId without authorizing again', async () => {
      const orderId = uniqueName('order');
      const reserved = inventoryReserved(orderId, TOTAL);
      await payment.produce(orderPlaced(orderId, [mug, tee]), reserved);
      await paymentOf(orderId, 'AUTHORIZED');
      const copy = copyOf(reserved);

      await payment.produce(reserved, copy);

      await eventually(async () => expect(await payment.processed(copy.eventId)).toBe(true));
      expect(await payment.outbox(orderId, 'PaymentAuthorized')).toHaveLength(1);
    });

    it.each([
      ['tok_decline', 'card declined'],
      ['tok_unheard_of', 'unknown token'],
    ])('declines %s with reason "%s"', async (token, reason) => {
      const orderId = uniqueName('order');
      await payment.produce(orderPlaced(orderId, [mug, tee], token), inventoryReserved(orderId, TOTAL));

      const view = await paymentOf(orderId, 'DECLINED');
      expect(view.declineReason).toBe(reason);
      const [declined] = await published(orderId, 'PaymentDeclined');
      expect(declined.payload).toEqual({ paymentId: view.paymentId, reason });
      expect(await milestonesOf(orderId)).toMatchObject({
        status: 'DECLINED',
        milestones: [{ name: 'DECLINED', detail: { reason } }],
        facts: { authorizedMinor: 0 },
      });
    });

    it('retries a gateway that keeps timing out, with backoff, then declines with "gateway timeout"', async () => {
      const orderId = uniqueName('order');
      const placed = orderPlaced(orderId, [mug, tee], 'tok_timeout');
      await payment.produce(placed);
      await eventually(async () => expect(await payment.processed(placed.eventId)).toBe(true));
      const reserved = inventoryReserved(orderId, TOTAL);
      const started = Date.now();
      await payment.produce(reserved);

      const view = await paymentOf(orderId, 'DECLINED');
      expect(view.declineReason).toBe('gateway timeout');
      // three attempts cut off at 150 ms, with 50 and 100 ms between them
      expect(Date.now() - started).toBeGreaterThanOrEqual(3 * GATEWAY_TIMEOUT_MS + RETRY_BASE_MS + 2 * RETRY_BASE_MS);
      const [declined] = await published(orderId, 'PaymentDeclined');
      expect(declined.payload.reason).toBe('gateway timeout');
    });

    it('approves tok_slow after its delay', async () => {
      await authorizedOrder('tok_slow');
    });
  });

  describe('capture', () => {
    it('captures each dispatched shipment once, even when ShipmentDispatched arrives twice', async () => {
      const before = await stateTransitionCounts(payment, 'payment');
      const { orderId, paymentId } = await authorizedOrder();
      const berlin = shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug]);
      const hamburg = shipmentDispatched(orderId, uniqueName('shp'), 'wh-hamburg', [tee]);

      await payment.produce(berlin, berlin, copyOf(berlin));
      await paymentOf(orderId, 'PARTIALLY_CAPTURED');
      await payment.produce(hamburg, copyOf(hamburg));

      const view = await paymentOf(orderId, 'CAPTURED');
      expect(view.captures).toEqual([
        expect.objectContaining({ shipmentId: berlin.payload.shipmentId, amountMinor: 2500 }),
        expect.objectContaining({ shipmentId: hamburg.payload.shipmentId, amountMinor: 2500 }),
      ]);
      expect(await payment.outbox(orderId, 'PaymentCaptured')).toHaveLength(2);
      const captured = await published(orderId, 'PaymentCaptured', 2);
      expect(captured[0].payload).toEqual({ paymentId, shipmentId: berlin.payload.shipmentId, amountMinor: 2500, currency: 'EUR' });
      expect(await milestonesOf(orderId)).toMatchObject({
        status: 'CAPTURED',
        milestones: [
          { name: 'AUTHORIZED', amountMinor: TOTAL },
          { name: 'CAPTURED', ref: berlin.payload.shipmentId, amountMinor: 2500 },
          { name: 'CAPTURED', ref: hamburg.payload.shipmentId, amountMinor: 2500 },
        ],
        facts: { authorizedMinor: TOTAL, capturedMinor: TOTAL, refundedMinor: 0, voidedMinor: 0 },
      });
      // Each status left once, whatever was delivered twice: the time spent in it observed once.
      expect(transitionsBetween(before, await stateTransitionCounts(payment, 'payment'))).toEqual({
        'PENDING>AUTHORIZED': 1,
        'AUTHORIZED>PARTIALLY_CAPTURED': 1,
        'PARTIALLY_CAPTURED>CAPTURED': 1,
      });
    });

    it('captures on CapturePaymentRequested a shipment dispatched before the authorization, once', async () => {
      const orderId = uniqueName('order');
      const dispatched = shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug]);
      await payment.produce(dispatched);
      await eventually(async () => expect(await payment.processed(dispatched.eventId)).toBe(true));
      await payment.produce(orderPlaced(orderId, [mug, tee]), inventoryReserved(orderId, TOTAL));
      await paymentOf(orderId, 'AUTHORIZED');

      const repair = eventFor('CapturePaymentRequested', orderId, {
        caseId: 'case-1',
        rule: 'dispatched-not-captured',
        shipmentId: dispatched.payload.shipmentId,
      });
      const again = copyOf(repair);
      await payment.produce(repair, again);

      await paymentOf(orderId, 'PARTIALLY_CAPTURED');
      await eventually(async () => expect(await payment.processed(again.eventId)).toBe(true));
      expect(await payment.outbox(orderId, 'PaymentCaptured')).toHaveLength(1);
      expect((await milestonesOf(orderId)).facts).toMatchObject({ capturedMinor: 2500 });
    });

    it('refuses a CapturePaymentRequested it cannot carry out with PaymentRepairRefused, once, naming the command and why', async () => {
      const { orderId, paymentId } = await authorizedOrder();
      const first = shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug]);
      const second = shipmentDispatched(orderId, uniqueName('shp'), 'wh-munich', [tee]);
      await payment.produce(first, second);
      await paymentOf(orderId, 'CAPTURED');
      // The hand edit of the issue: the second capture's row is gone, captured_minor still counts it.
      await payment.dataSource.query('DELETE FROM payment_capture WHERE payment_id = $1 AND shipment_id = $2', [paymentId, second.payload.shipmentId]);

      const repair = eventFor('CapturePaymentRequested', orderId, { caseId: 'case-refused', rule: 'dispatched-not-captured', shipmentId: second.payload.shipmentId });
      // Delivered twice (a redelivery, same eventId): the inbox answers it once.
      await payment.produce(repair, { ...repair });

      await eventually(async () => expect(await payment.processed(repair.eventId)).toBe(true));
      const [refused] = await published(orderId, 'PaymentRepairRefused');
      expect(refused.causationId).toBe(repair.eventId);
      expect(refused.payload).toEqual({
        caseId: 'case-refused',
        rule: 'dispatched-not-captured',
        commandEventId: repair.eventId,
        commandType: 'CapturePaymentRequested',
        reason: 'nothing left to capture (payment is CAPTURED)',
      });
      expect(await payment.outbox(orderId, 'PaymentCaptured')).toHaveLength(2);

      // What the reconciliation's order explorer reads of it: nothing left unpublished, nothing dead-lettered.
      await eventually(async () => expect((await payment.http('GET', `/outbox/pending?orderId=${orderId}`)).body).toEqual({ count: 0, oldestCreatedAt: null, items: [] }));
      expect((await payment.http('GET', '/outbox/pending')).body).toMatchObject({
        count: 0,
        lastPublishedAt: expect.any(String),
        // The relay publishing is this process's (the service runs in the test): named by host and pid.
        relayLock: { application: expect.stringMatching(new RegExp(`^outbox-relay .+:${process.pid}$`)), backendPid: expect.any(Number), connectedSince: expect.any(String) },
      });
      expect((await payment.http('GET', `/dead-letters?orderId=${orderId}&includeReplayed=true`)).body).toEqual([]);
    });
  });

  describe('cancellation', () => {
    it('voids the whole authorization when nothing was captured', async () => {
      const { orderId, paymentId } = await authorizedOrder();
      const cancel = eventFor('OrderCancellationRequested', orderId, { reason: 'customer-request' });

      await payment.produce(cancel, copyOf(cancel));

      await paymentOf(orderId, 'VOIDED');
      const [voided] = await published(orderId, 'PaymentVoided');
      expect(voided.payload).toEqual({ paymentId, amountMinor: TOTAL, currency: 'EUR' });
      expect(await milestonesOf(orderId)).toMatchObject({
        status: 'VOIDED',
        milestones: [{ name: 'AUTHORIZED' }, { name: 'VOIDED', amountMinor: TOTAL }],
        facts: { authorizedMinor: TOTAL, capturedMinor: 0, voidedMinor: TOTAL, refundedMinor: 0 },
      });
      expect(await payment.outbox(orderId, 'PaymentVoided')).toHaveLength(1);
    });

    it('refunds what was captured and voids the rest', async () => {
      const { orderId, paymentId } = await authorizedOrder();
      await payment.produce(shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug]));
      await paymentOf(orderId, 'PARTIALLY_CAPTURED');

      await payment.produce(eventFor('OrderCancellationRequested', orderId, { reason: 'customer-request' }));

      const view = await paymentOf(orderId, 'REFUNDED');
      expect(view.refunds).toEqual([expect.objectContaining({ amountMinor: 2500, reason: 'order-cancelled' })]);
      const [refunded] = await published(orderId, 'PaymentRefunded');
      const [voided] = await published(orderId, 'PaymentVoided');
      expect(refunded.payload).toEqual({ paymentId, amountMinor: 2500, currency: 'EUR' });
      expect(voided.payload).toEqual({ paymentId, amountMinor: 2500, currency: 'EUR' });
      expect((await milestonesOf(orderId)).facts).toEqual({
        paymentId,
        authorizedMinor: TOTAL,
        capturedMinor: 2500,
        refundedMinor: 2500,
        voidedMinor: 2500,
        currency: 'EUR',
      });
    });

    it('never authorizes when the cancellation arrives before InventoryReserved', async () => {
      const orderId = uniqueName('order');
      await payment.produce(orderPlaced(orderId, [mug, tee]), eventFor('OrderCancellationRequested', orderId, { reason: 'changed mind' }));
      await paymentOf(orderId, 'CANCELLED_BEFORE_AUTHORIZATION');
      const reserved = inventoryReserved(orderId, TOTAL);

      await payment.produce(reserved);

      await eventually(async () => expect(await payment.processed(reserved.eventId)).toBe(true));
      expect((await paymentOf(orderId)).status).toBe('CANCELLED_BEFORE_AUTHORIZATION');
      expect(await payment.outbox(orderId, 'PaymentAuthorized')).toHaveLength(0);
      expect(await milestonesOf(orderId)).toMatchObject({ status: 'CANCELLED_BEFORE_AUTHORIZATION', milestones: [], facts: { authorizedMinor: 0 } });
    });
  });

  describe('repair commands', () => {
    it('VoidPaymentRequested voids an open authorization once, and ignores one naming another payment', async () => {
      const { orderId, paymentId } = await authorizedOrder();
      const misdirected = eventFor('VoidPaymentRequested', orderId, { caseId: 'case-2', rule: 'cancelled-still-charged', paymentId: 'pay-other' });
      await payment.produce(misdirected);
      await eventually(async () => expect(await payment.processed(misdirected.eventId)).toBe(true));
      expect((await paymentOf(orderId)).status).toBe('AUTHORIZED');

      const repair = eventFor('VoidPaymentRequested', orderId, { caseId: 'case-2', rule: 'cancelled-still-charged', paymentId });
      const again = copyOf(repair);

      await payment.produce(repair, again);

      await paymentOf(orderId, 'VOIDED');
      await eventually(async () => expect(await payment.processed(again.eventId)).toBe(true));
      expect(await payment.outbox(orderId, 'PaymentVoided')).toHaveLength(1);
    });

    it('RefundPaymentRequested refunds a given amount once per case, and the rest by default', async () => {
      const { orderId, paymentId } = await authorizedOrder();
      await payment.produce(
        shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug]),
        shipmentDispatched(orderId, uniqueName('shp'), 'wh-hamburg', [tee]),
      );
      await paymentOf(orderId, 'CAPTURED');

      const partial = eventFor('RefundPaymentRequested', orderId, { caseId: uniqueName('case'), rule: 'cancelled-still-charged', paymentId, amountMinor: 1000 });
      const partialAgain = copyOf(partial);
      await payment.produce(partial, partialAgain);
      await eventually(async () => expect(await payment.processed(partialAgain.eventId)).toBe(true));
      expect(await paymentOf(orderId, 'REFUNDED')).toMatchObject({ refundedMinor: 1000 });

      const rest = eventFor('RefundPaymentRequested', orderId, { caseId: uniqueName('case'), rule: 'cancelled-still-charged', paymentId: undefined, amountMinor: undefined });
      const restAgain = copyOf(rest);
      await payment.produce(rest, restAgain);
      await eventually(async () => expect(await payment.processed(restAgain.eventId)).toBe(true));

      expect(await paymentOf(orderId)).toMatchObject({ refundedMinor: TOTAL, capturedMinor: TOTAL });
      expect(await payment.outbox(orderId, 'PaymentRefunded')).toHaveLength(2);
      expect((await milestonesOf(orderId)).milestones.filter((m) => m.name === 'REFUNDED').map((m) => m.amountMinor)).toEqual([1000, 4000]);
    });

    it('republishes PaymentAuthorized from stored data as a new event', async () => {
      const { orderId } = await authorizedOrder();
      const [original] = await published(orderId, 'PaymentAuthorized');

      await payment.produce(
        eventFor('RepublishEventsRequested', orderId, {
          caseId: 'case-3',
          rule: 'stuck-at-shipment',
          eventTypes: ['PaymentAuthorized'],
          targetService: 'shipment-service',
        }),
      );

      const events = await published(orderId, 'PaymentAuthorized', 2);
      expect(events[1].eventId).not.toBe(original.eventId);
      expect(events[1].payload).toEqual(original.payload);
    });
  });

  describe('edits behind the service’s back (raw SQL)', () => {
    /** An order with one of its two parcels captured: a payment row, a capture row. */
    async function partlyCapturedOrder() {
      const { orderId, paymentId } = await authorizedOrder();
      await payment.produce(shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug]));
      await paymentOf(orderId, 'PARTIALLY_CAPTURED');
      return { orderId, paymentId };
    }

    it('show in /milestones?updatedSince when a capture row is updated', async () => {
      const { orderId, paymentId } = await partlyCapturedOrder();
      await expectHandEditSeen(payment, orderId, { sql: 'UPDATE payment_capture SET amount_minor = amount_minor + 1 WHERE payment_id = $1', parameters: [paymentId] });
    });

    it('show when a refund row is inserted, or a capture row deleted', async () => {
      const refunded = await partlyCapturedOrder();
      await expectHandEditSeen(payment, refunded.orderId, {
        sql: `INSERT INTO payment_refund (refund_id, payment_id, amount_minor, currency, reason) VALUES (gen_random_uuid(), $1, 100, 'EUR', 'goodwill')`,
        parameters: [refunded.paymentId],
      });
      const uncaptured = await partlyCapturedOrder();
      await expectHandEditSeen(payment, uncaptured.orderId, { sql: 'DELETE FROM payment_capture WHERE payment_id = $1', parameters: [uncaptured.paymentId] });
    });

    it('show when the payment row itself is updated without touching updated_at', async () => {
      const { orderId, paymentId } = await authorizedOrder();
      await expectHandEditSeen(payment, orderId, { sql: `UPDATE payment SET decline_reason = 'hand edit' WHERE payment_id = $1`, parameters: [paymentId] });
    });

    it('keep the updated_at the service writes itself', async () => {
      const { paymentId } = await authorizedOrder();
      const [row] = await payment.dataSource.query(
        `UPDATE payment SET updated_at = '2020-01-01T00:00:00Z' WHERE payment_id = $1 RETURNING updated_at`,
        [paymentId],
      );
      expect(row[0].updated_at.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    });
  });

  describe('REST', () => {
    it('lists payments by status, newest first, keyset-paged', async () => {
      const first = await authorizedOrder();
      const second = await authorizedOrder();
      const page1 = await payment.http('GET', '/payments?status=AUTHORIZED&limit=1');
      expect(page1.status).toBe(200);
      expect(page1.body.items).toHaveLength(1);
      expect(page1.body.items[0].status).toBe('AUTHORIZED');
      const page2 = await payment.http('GET', `/payments?status=AUTHORIZED&limit=1&cursor=${page1.body.nextCursor}`);
      expect(page2.body.items).toHaveLength(1);
      expect(page2.body.items[0].orderId).not.toBe(page1.body.items[0].orderId);

      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const answer: HttpResult = await payment.http('GET', `/payments?status=AUTHORIZED&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        all.push(...answer.body.items.map((item: { orderId: string }) => item.orderId));
        cursor = answer.body.nextCursor;
      } while (cursor);
      expect(all.indexOf(second.orderId)).toBeLessThan(all.indexOf(first.orderId));
      expect(new Set(all).size).toBe(all.length);

      const invalid = await payment.http('GET', '/payments?status=PAID');
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors[0].field).toBe('status');
      expect((await payment.http('GET', '/payments/unknown-order')).status).toBe(404);
    });

    it('answers /milestones by updatedSince in pages, and 400 without parameters', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const orders = [await authorizedOrder(), await authorizedOrder(), await authorizedOrder()];
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const answer: HttpResult = await payment.http('GET', `/milestones?updatedSince=${since}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(answer.status).toBe(200);
        const page = milestonesPageSchema.parse(answer.body);
        seen.push(...page.items.map((item) => item.orderId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expect.arrayContaining(orders.map((order) => order.orderId)));
      expect(new Set(seen).size).toBe(seen.length);

      const missing = await payment.http('GET', '/milestones');
      expect(missing.status).toBe(400);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
    });

    it('keeps each order\'s milestone document current behind its own writes, for the full scan', async () => {
      const { orderId } = await authorizedOrder();
      const documents = payment.app.get(MilestoneDocumentRefresher).documents;
      const document = async () => {
        const [row] = await payment.dataSource.query('SELECT body FROM milestone_document WHERE order_id = $1', [orderId]);
        // Stored in the compact form (what the full scan asks for), compared in the full one.
        return row ? expandOrderMilestones(JSON.parse(row.body)) : undefined;
      };
      // The refresher (every 200 ms here) derives it after the authorization...
      await eventually(async () => expect(await documents.isCurrent(payment.dataSource, orderId)).toBe(true));
      expect(await document()).toEqual(await milestonesOf(orderId));
      // ...and again after the capture changed the payment and added a capture row.
      await payment.produce(shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug, tee]));
      await paymentOf(orderId, 'CAPTURED');
      await eventually(async () => {
        expect(await documents.isCurrent(payment.dataSource, orderId)).toBe(true);
        expect((await document())?.status).toBe('CAPTURED');
      });
      expect(await document()).toEqual(await milestonesOf(orderId));
      const scanned = (await scanInOrderIdOrder(payment, { limit: 1000 })).items.find((item) => item.orderId === orderId);
      expect(scanned).toEqual(await milestonesOf(orderId));
    });

    it('answers an orderIds page in the order asked for, whether an item comes from its document or is derived live', async () => {
      const first = await authorizedOrder();
      const second = await authorizedOrder();
      const documents = payment.app.get(MilestoneDocumentRefresher).documents;
      await eventually(async () => {
        expect(await documents.isCurrent(payment.dataSource, first.orderId)).toBe(true);
        expect(await documents.isCurrent(payment.dataSource, second.orderId)).toBe(true);
      });
      // The first one's document emptied (as a change would), so it is derived live; the second one is served from its document.
      await payment.dataSource.query('UPDATE milestone_document SET body = NULL WHERE order_id = $1', [first.orderId]);
      for (const asked of [[first.orderId, second.orderId], [second.orderId, first.orderId]]) {
        const answer = await payment.http('GET', `/milestones?orderIds=${asked.join(',')}`);
        expect(milestonesPageSchema.parse(answer.body).items.map((item) => item.orderId)).toEqual(asked);
      }
    });

    it('serves a document an older version stored in the full form in either form, until the migration to compact documents empties it', async () => {
      const { orderId } = await authorizedOrder();
      const documents = payment.app.get(MilestoneDocumentRefresher).documents;
      await eventually(async () => expect(await documents.isCurrent(payment.dataSource, orderId)).toBe(true));
      const item = await milestonesOf(orderId);
      // As an instance of the version before compact documents would have stored it (no trigger fires: the payment row is untouched).
      await payment.dataSource.query('UPDATE milestone_document SET body = $2 WHERE order_id = $1', [orderId, JSON.stringify(item)]);
      expect(await documents.isCurrent(payment.dataSource, orderId)).toBe(true);
      const compact = await payment.http('GET', `/milestones?orderIds=${orderId}&format=compact`);
      expect([...new CompactPageReader(String(compact.body))].map(fullOrderMilestones)).toEqual([item]);
      expect(await milestonesOf(orderId)).toEqual(item);

      const runner = payment.dataSource.createQueryRunner();
      try {
        await new MilestoneDocumentsCompact1764400000000().up(runner);
      } finally {
        await runner.release();
      }
      const [row] = await payment.dataSource.query('SELECT body FROM milestone_document WHERE order_id = $1', [orderId]);
      expect(row.body).toBeNull();
      expect(await milestonesOf(orderId)).toEqual(item);
      // A range page derives it live and puts it in its place among the documents, in either form.
      const full = (await scanInOrderIdOrder(payment, { limit: 1000 })).items;
      expect(full.find((scanned) => scanned.orderId === orderId)).toEqual(item);
      const compactScan = await payment.http('GET', '/milestones?afterOrderId=&limit=1000&format=compact');
      expect([...new CompactPageReader(String(compactScan.body))].map(fullOrderMilestones)).toEqual(full);
    });

    it('empties an order\'s milestone document the moment its payment row changes, whoever changes it', async () => {
      const { orderId } = await authorizedOrder();
      const documents = payment.app.get(MilestoneDocumentRefresher).documents;
      await eventually(async () => expect(await documents.isCurrent(payment.dataSource, orderId)).toBe(true));
      const [before] = await payment.dataSource.query('SELECT generation::int FROM milestone_document WHERE order_id = $1', [orderId]);
      // In the edit's own transaction (the refresher cannot write over it before it ends): a hand
      // edit with the replication role set, which turns ordinary triggers off, still empties it.
      const runner = payment.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query('SET LOCAL session_replication_role = replica');
        await runner.query(`UPDATE payment SET status = 'AUTHORIZED', updated_at = updated_at WHERE order_id = $1`, [orderId]);
        const [during] = await runner.query('SELECT body, generation::int FROM milestone_document WHERE order_id = $1', [orderId]);
        expect(during).toEqual({ body: null, generation: before.generation + 1 });
        // The range mode derives it live meanwhile: it reads no payment row to know.
        expect(await documents.rangePage(payment.dataSource, null, 1000)).toBeInstanceOf(Buffer);
        await runner.rollbackTransaction();
      } finally {
        await runner.release();
      }
      // A refresh whose snapshot predates a change stores nothing over it.
      let changed = false;
      const raced = await documents.refresh({
        query: (sql: string, parameters?: unknown[]) => payment.dataSource.query(sql, parameters),
        transaction: async (isolation, run) => {
          const read = await payment.dataSource.transaction(isolation, (snapshot) => run({ query: (sql: string, parameters?: unknown[]) => snapshot.query(sql, parameters) }));
          await payment.dataSource.query('UPDATE payment SET updated_at = clock_timestamp() WHERE order_id = $1', [orderId]);
          changed = true;
          return read;
        },
      }, [orderId]);
      expect(changed).toBe(true);
      expect(raced).toBe(0);
      const [after] = await payment.dataSource.query('SELECT body, generation::int FROM milestone_document WHERE order_id = $1', [orderId]);
      // Emptied by the change (unless the refresher has derived it again since, from the changed rows).
      if (after.body === null) expect(after.generation).toBeGreaterThan(before.generation);
      else expect(await documents.isCurrent(payment.dataSource, orderId)).toBe(true);
    });

    it('scans every payment in orderId order (afterOrderId), page by page', async () => {
      for (let i = 0; i < 3; i++) await authorizedOrder();
      const stored: Array<{ order_id: string }> = await payment.dataSource.query('SELECT order_id FROM payment');
      await expectOrderIdScan(payment, stored.map((row) => row.order_id));
    });
  });
});
