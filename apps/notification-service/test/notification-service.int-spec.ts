import { randomUUID } from 'node:crypto';
import { type EventEnvelope, type EventPayloads, type EventType, milestonesPageSchema, type NotificationKind } from '@commerce/contracts';
import { sampleEvent, type SampleOverrides } from '@commerce/contracts/testing';
import { eventually, expectHandEditSeen, expectOrderIdScan, type ServiceUnderTest, startServiceUnderTest, stateTransitionCounts, transitionsBetween } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { RANDOM } from '../src/notifications/notification-channel';
import { notificationService } from '../src/service';

jest.setTimeout(120_000);

let clock = 0;
/** An event about `orderId` with a fresh eventId, each later than the one before. */
function event<T extends EventType>(type: T, orderId: string, payload: Partial<EventPayloads[T]> = {}): EventEnvelope<T> {
  clock = Math.max(clock + 1, Date.now());
  const overrides = { orderId, eventId: randomUUID(), correlationId: `flow-${orderId}`, occurredAt: new Date(clock).toISOString(), payload };
  return sampleEvent(type, overrides as SampleOverrides<T>);
}

interface Notification {
  notificationId: string;
  orderId: string;
  kind: NotificationKind;
  status: 'SENT' | 'FAILED';
  attempts: number;
  causedBy: string;
}

function helpers(service: () => ServiceUnderTest) {
  const notificationsOf = async (orderId: string): Promise<Notification[]> =>
    (await service().http('GET', `/notifications?orderId=${encodeURIComponent(orderId)}`)).body.items;

  /** Every event produced so far for the order was consumed (the inbox holds them all). */
  const consumed = async (...events: EventEnvelope[]) =>
    eventually(async () => {
      const [{ n }] = await service().dataSource.query('SELECT count(*)::int AS n FROM processed_event WHERE event_id = ANY($1::uuid[])', [
        events.map((e) => e.eventId),
      ]);
      expect(n).toBe(new Set(events.map((e) => e.eventId)).size);
    });

  const sentEvents = (orderId: string): Promise<EventEnvelope<'NotificationSent'>[]> => service().outbox(orderId, 'NotificationSent');

  const kinds = async (orderId: string) => (await notificationsOf(orderId)).map((n) => `${n.kind}:${n.status}`).sort();

  return { notificationsOf, consumed, sentEvents, kinds };
}

describe('notification-service, with a channel that never fails', () => {
  let service: ServiceUnderTest;
  const { notificationsOf, consumed, sentEvents, kinds } = helpers(() => service);

  beforeAll(async () => {
    service = await startServiceUnderTest({ ...notificationService, configSchema, appModule: (config) => AppModule.forRoot(config) });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('sends "confirmed" once on PaymentAuthorized, even when the event comes twice or is republished', async () => {
    const orderId = randomUUID();
    const authorized = event('PaymentAuthorized', orderId);
    const republished = { ...authorized, eventId: randomUUID() };
    await service.produce(authorized, authorized, republished);
    await consumed(authorized, republished);

    const [notification, ...others] = await notificationsOf(orderId);
    expect(others).toEqual([]);
    expect(notification).toMatchObject({ orderId, kind: 'confirmed', status: 'SENT', attempts: 1, causedBy: 'PaymentAuthorized', channel: 'email' });

    const [sent, ...more] = await sentEvents(orderId);
    expect(more).toEqual([]);
    expect(sent).toMatchObject({
      type: 'NotificationSent',
      producer: 'notification-service',
      correlationId: authorized.correlationId,
      causationId: authorized.eventId,
      payload: { notificationId: notification.notificationId, kind: 'confirmed', channel: 'email' },
    });
  });

  it('sends "rejected" once when both inventory and payment say no (two events, two topics, one kind)', async () => {
    const orderId = randomUUID();
    const rejected = event('InventoryRejected', orderId);
    const declined = event('PaymentDeclined', orderId);
    await service.produce(rejected, declined, declined);
    await consumed(rejected, declined);

    expect(await kinds(orderId)).toEqual(['rejected:SENT']);
    expect(await sentEvents(orderId)).toHaveLength(1);
  });

  it('sends "dispatched" on the first dispatch only, and "delivered" once every created shipment is delivered', async () => {
    const orderId = randomUUID();
    const first = [
      event('ShipmentCreated', orderId, { shipmentId: 'shp_1' }),
      event('ShipmentCreated', orderId, { shipmentId: 'shp_2' }),
      event('ShipmentDispatched', orderId, { shipmentId: 'shp_1' }),
      event('ShipmentDispatched', orderId, { shipmentId: 'shp_2' }),
      event('ShipmentDelivered', orderId, { shipmentId: 'shp_1' }),
    ];
    await service.produce(...first);
    await consumed(...first);
    expect(await kinds(orderId)).toEqual(['dispatched:SENT']);

    const last = event('ShipmentDelivered', orderId, { shipmentId: 'shp_2' });
    await service.produce(last, { ...last, eventId: randomUUID() });
    await eventually(async () => expect(await kinds(orderId)).toEqual(['delivered:SENT', 'dispatched:SENT']));
    const delivered = (await notificationsOf(orderId)).find((n) => n.kind === 'delivered')!;
    expect(delivered.causedBy).toBe('ShipmentDelivered');
    expect(await sentEvents(orderId)).toHaveLength(2);
  });

  it('does not wait for a shipment that was cancelled before delivering "delivered"', async () => {
    const orderId = randomUUID();
    const events = [
      event('ShipmentCreated', orderId, { shipmentId: 'shp_1' }),
      event('ShipmentCreated', orderId, { shipmentId: 'shp_2' }),
      event('ShipmentCancelled', orderId, { shipmentId: 'shp_2' }),
      event('ShipmentDispatched', orderId, { shipmentId: 'shp_1' }),
      event('ShipmentDelivered', orderId, { shipmentId: 'shp_1' }),
    ];
    await service.produce(...events);
    await eventually(async () => expect(await kinds(orderId)).toEqual(['delivered:SENT', 'dispatched:SENT']));
  });

  it('sends "cancelled" on OrderCancellationRequested, once', async () => {
    const orderId = randomUUID();
    const requested = event('OrderCancellationRequested', orderId);
    await service.produce(requested, { ...requested, eventId: randomUUID() });
    await eventually(async () => expect(await kinds(orderId)).toEqual(['cancelled:SENT']));
  });

  it('stays silent on a cancellation once the customer was told the order is on its way', async () => {
    const orderId = randomUUID();
    const dispatched = event('ShipmentDispatched', orderId);
    await service.produce(dispatched);
    await consumed(dispatched);
    const requested = event('OrderCancellationRequested', orderId);
    await service.produce(requested);
    await consumed(requested);
    expect(await kinds(orderId)).toEqual(['dispatched:SENT']);
  });

  it('sends a missing notification on ResendNotificationRequested, and nothing more when it was sent', async () => {
    const orderId = randomUUID();
    const resend = event('ResendNotificationRequested', orderId, { kind: 'confirmed' });
    await service.produce(resend);
    await eventually(async () => expect(await kinds(orderId)).toEqual(['confirmed:SENT']));
    expect((await notificationsOf(orderId))[0].causedBy).toBe('ResendNotificationRequested');

    const again = event('ResendNotificationRequested', orderId, { kind: 'confirmed' });
    const authorized = event('PaymentAuthorized', orderId);
    await service.produce(again, authorized);
    await consumed(again, authorized);
    expect(await kinds(orderId)).toEqual(['confirmed:SENT']);
    expect(await sentEvents(orderId)).toHaveLength(1);
  });

  it('refuses a ResendNotificationRequested for a notification already sent with NotificationRepairRefused, once, naming the command and why', async () => {
    const orderId = randomUUID();
    const authorized = event('PaymentAuthorized', orderId);
    await service.produce(authorized);
    await eventually(async () => expect(await kinds(orderId)).toEqual(['confirmed:SENT']));
    const [sent] = await notificationsOf(orderId);

    const resend = event('ResendNotificationRequested', orderId, { caseId: 'case-refused', rule: 'missing-notification', kind: 'confirmed' });
    // Delivered twice (a redelivery, same eventId): the inbox answers it once.
    await service.produce(resend, resend);
    await consumed(resend);

    const refusals: EventEnvelope<'NotificationRepairRefused'>[] = await eventually(async () => {
      const events = await service.outbox(orderId, 'NotificationRepairRefused');
      expect(events).toHaveLength(1);
      return events;
    });
    expect(refusals[0]?.causationId).toBe(resend.eventId);
    expect(refusals[0]?.payload).toEqual({
      caseId: 'case-refused',
      rule: 'missing-notification',
      commandEventId: resend.eventId,
      commandType: 'ResendNotificationRequested',
      reason: `the confirmed notification was already sent (${sent?.notificationId})`,
    });
    expect(await sentEvents(orderId)).toHaveLength(1);
  });

  describe('REST', () => {
    it('pages notifications of an order newest first, and finds one by id', async () => {
      const orderId = randomUUID();
      // One after the other: they travel on different topics, and the order of creation is what is paged.
      for (const next of [event('PaymentAuthorized', orderId), event('ShipmentDispatched', orderId), event('OrderCancellationRequested', randomUUID())]) {
        await service.produce(next);
        await consumed(next);
      }

      const first = await service.http('GET', `/notifications?orderId=${orderId}&limit=1`);
      expect(first.body.items.map((n: Notification) => n.kind)).toEqual(['dispatched']);
      const second = await service.http('GET', `/notifications?orderId=${orderId}&limit=1&cursor=${first.body.nextCursor}`);
      expect(second.body.items.map((n: Notification) => n.kind)).toEqual(['confirmed']);
      expect(second.body.nextCursor).toBeNull();

      const one = await service.http('GET', `/notifications/${second.body.items[0].notificationId}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ orderId, kind: 'confirmed', status: 'SENT' });
    });

    it('answers 404 for an unknown notification and 400 for a bad id or filter', async () => {
      expect((await service.http('GET', `/notifications/${randomUUID()}`)).status).toBe(404);
      expect((await service.http('GET', '/notifications/nope')).status).toBe(400);
      const badKind = await service.http('GET', '/notifications?kind=shouted');
      expect(badKind.status).toBe(400);
      expect(badKind.body.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    });
  });

  describe('GET /milestones', () => {
    it('answers by orderIds: status = kind sent last, one milestone per notification, facts per kind', async () => {
      const orderId = randomUUID();
      const authorized = event('PaymentAuthorized', orderId);
      await service.produce(authorized);
      await consumed(authorized);
      const dispatched = event('ShipmentDispatched', orderId);
      await service.produce(dispatched);
      await consumed(dispatched);

      const response = await service.http('GET', `/milestones?orderIds=${orderId},${randomUUID()}`);
      expect(response.status).toBe(200);
      const page = milestonesPageSchema.parse(response.body);
      expect(page).toMatchObject({ service: 'notification-service', nextCursor: null });
      expect(page.items).toHaveLength(1);
      const [item] = page.items;
      const notifications = await notificationsOf(orderId);
      expect(item).toMatchObject({
        orderId,
        status: 'DISPATCHED',
        facts: { confirmed: true, rejected: false, dispatched: true, delivered: false, cancelled: false },
      });
      expect(item.milestones.map((m) => [m.name, m.ref])).toEqual([
        ['CONFIRMED_SENT', notifications.find((n) => n.kind === 'confirmed')!.notificationId],
        ['DISPATCHED_SENT', notifications.find((n) => n.kind === 'dispatched')!.notificationId],
      ]);
    });

    it('pages every order notified since an instant by (updatedAt, orderId), each once', async () => {
      const since = new Date().toISOString();
      const orderIds = Array.from({ length: 5 }, () => randomUUID());
      const events = orderIds.map((orderId) => event('PaymentAuthorized', orderId));
      await service.produce(...events);
      await consumed(...events);

      const expected: Array<{ order_id: string }> = await service.dataSource.query(
        'SELECT order_id FROM notified_order WHERE updated_at >= $1 ORDER BY updated_at, order_id',
        [since],
      );
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const path = `/milestones?updatedSince=${encodeURIComponent(since)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = milestonesPageSchema.parse((await service.http('GET', path)).body);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.orderId));
        cursor = page.nextCursor;
      } while (cursor);

      expect(seen).toEqual(expected.map((row) => row.order_id));
      expect(seen).toEqual(expect.arrayContaining(orderIds));
    });

    it('scans every notified order in orderId order (afterOrderId), page by page', async () => {
      const events = [randomUUID(), randomUUID(), randomUUID()].map((orderId) => event('PaymentAuthorized', orderId));
      await service.produce(...events);
      await consumed(...events);
      const stored: Array<{ order_id: string }> = await service.dataSource.query('SELECT order_id FROM notified_order');
      await expectOrderIdScan(service, stored.map((row) => row.order_id));
    });

    it('answers 400 problem details without orderIds or updatedSince', async () => {
      const response = await service.http('GET', '/milestones');
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('edits behind the service’s back (raw SQL)', () => {
    /** An order told "confirmed": its notified_order row and one notification. */
    async function confirmedOrder(): Promise<string> {
      const orderId = randomUUID();
      const authorized = event('PaymentAuthorized', orderId);
      await service.produce(authorized);
      await consumed(authorized);
      await eventually(async () => expect(await kinds(orderId)).toEqual(['confirmed:SENT']));
      return orderId;
    }

    it('show in /milestones?updatedSince when a notification is updated', async () => {
      const orderId = await confirmedOrder();
      await expectHandEditSeen(service, orderId, { sql: `UPDATE notification SET status = 'FAILED', next_attempt_at = 'infinity' WHERE order_id = $1`, parameters: [orderId] });
    });

    it('show when a notification is deleted', async () => {
      const orderId = await confirmedOrder();
      await expectHandEditSeen(service, orderId, { sql: 'DELETE FROM notification WHERE order_id = $1', parameters: [orderId] });
    });

    it('show when a notification is inserted for an order the service never notified about', async () => {
      const orderId = randomUUID();
      await expectHandEditSeen(service, orderId, {
        sql: `INSERT INTO notification (id, order_id, kind, channel, status, attempts, correlation_id, caused_by, cause_event_id, sent_at)
              VALUES (gen_random_uuid(), $1, 'confirmed', 'email', 'SENT', 1, 'hand', 'hand edit', gen_random_uuid(), now())`,
        parameters: [orderId],
      });
    });

    it('show when one statement inserts two notifications for an order the service never notified about', async () => {
      // The trigger creates the missing notified_order row once per order, not once per inserted row.
      const orderId = randomUUID();
      await expectHandEditSeen(service, orderId, {
        sql: `INSERT INTO notification (id, order_id, kind, channel, status, attempts, correlation_id, caused_by, cause_event_id, sent_at)
              SELECT gen_random_uuid(), $1, kind, 'email', 'SENT', 1, 'hand', 'hand edit', gen_random_uuid(), now()
                FROM unnest(ARRAY['confirmed', 'dispatched']) AS kind`,
        parameters: [orderId],
      });
    });
  });
});

describe('notification-service, with a channel that fails when told to', () => {
  let service: ServiceUnderTest;
  let channelFails = true;
  const { notificationsOf, sentEvents, kinds } = helpers(() => service);

  beforeAll(async () => {
    service = await startServiceUnderTest({
      ...notificationService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      env: {
        NOTIFICATION_FAILURE_RATE: '0.5',
        NOTIFICATION_RETRY_INTERVAL_MS: '100',
        NOTIFICATION_RETRY_INITIAL_DELAY_MS: '200',
        NOTIFICATION_RETRY_MAX_DELAY_MS: '400',
      },
      // Below the failure rate fails, above it succeeds: the test decides.
      configure: (builder) => builder.overrideProvider(RANDOM).useValue(() => (channelFails ? 0 : 0.99)),
    });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('keeps a failed notification FAILED, without NotificationSent, and the sweep sends it once the channel is back', async () => {
    channelFails = true;
    const before = await stateTransitionCounts(service, 'notification');
    const orderId = randomUUID();
    await service.produce(event('PaymentAuthorized', orderId));
    await eventually(async () => {
      const [notification] = await notificationsOf(orderId);
      expect(notification).toMatchObject({ kind: 'confirmed', status: 'FAILED' });
      expect(notification.attempts).toBeGreaterThanOrEqual(2); // the sweep kept trying
    });
    expect(await sentEvents(orderId)).toEqual([]);
    const milestones = milestonesPageSchema.parse((await service.http('GET', `/milestones?orderIds=${orderId}`)).body);
    expect(milestones.items[0]).toMatchObject({ status: 'NONE', facts: { confirmed: false }, milestones: [expect.objectContaining({ name: 'CONFIRMED_FAILED' })] });

    channelFails = false;
    await eventually(async () => expect(await kinds(orderId)).toEqual(['confirmed:SENT']));
    expect(await sentEvents(orderId)).toHaveLength(1);
    // The time it spent FAILED is observed once it is sent.
    expect(transitionsBetween(before, await stateTransitionCounts(service, 'notification'))).toEqual({ 'FAILED>SENT': 1 });
  });

  it('tries a FAILED notification again at once on ResendNotificationRequested', async () => {
    channelFails = true;
    const orderId = randomUUID();
    await service.produce(event('OrderCancellationRequested', orderId));
    await eventually(async () => expect(await kinds(orderId)).toEqual(['cancelled:FAILED']));
    // Park the row far in the future so only the resend can send it.
    await service.dataSource.query(`UPDATE notification SET next_attempt_at = now() + interval '1 hour' WHERE order_id = $1`, [orderId]);

    channelFails = false;
    await service.produce(event('ResendNotificationRequested', orderId, { kind: 'cancelled' }));
    await eventually(async () => expect(await kinds(orderId)).toEqual(['cancelled:SENT']));
    expect(await sentEvents(orderId)).toHaveLength(1);
  });
});
