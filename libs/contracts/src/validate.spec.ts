import { EVENT_CATALOG, EVENT_TYPES, type EventType } from './catalog';
import { causedBy, createEvent, InvalidEventError, parseEvent } from './validate';
import { sampleEvents } from './testing';

type Payload = Record<string, unknown> & { lines?: Array<Record<string, unknown>>; unavailable?: Array<Record<string, unknown>> };

/** One invalid variant per event type: how to break the sample payload, and the path the reason must name. */
const invalidPayloads: Record<EventType, { breaks: (payload: Payload) => void; path: string }> = {
  OrderPlaced: { breaks: (p) => (p.lines![0].quantity = 0), path: 'payload.lines[0].quantity' },
  OrderCancellationRequested: { breaks: (p) => (p.reason = ''), path: 'payload.reason' },
  InventoryReserved: { breaks: (p) => delete p.lines![0].node, path: 'payload.lines[0].node' },
  InventoryRejected: { breaks: (p) => (p.unavailable![0].available = -1), path: 'payload.unavailable[0].available' },
  InventoryReleased: { breaks: (p) => (p.reservationId = 42), path: 'payload.reservationId' },
  InventoryCommitted: { breaks: (p) => delete p.shipmentId, path: 'payload.shipmentId' },
  PaymentAuthorized: { breaks: (p) => (p.amountMinor = 12.5), path: 'payload.amountMinor' },
  PaymentDeclined: { breaks: (p) => (p.paymentId = ''), path: 'payload.paymentId' },
  PaymentCaptured: { breaks: (p) => (p.currency = 'eur'), path: 'payload.currency' },
  PaymentVoided: { breaks: (p) => (p.amountMinor = -1), path: 'payload.amountMinor' },
  PaymentRefunded: { breaks: (p) => (p.amountMinor = 0), path: 'payload.amountMinor' },
  ShipmentCreated: { breaks: (p) => (p.lines = []), path: 'payload.lines' },
  ShipmentDispatched: { breaks: (p) => (p.valueMinor = 1), path: 'payload.valueMinor' },
  ShipmentDelivered: { breaks: (p) => delete p.shipmentId, path: 'payload.shipmentId' },
  ShipmentCancelled: { breaks: (p) => delete p.reason, path: 'payload.reason' },
  ShipmentCancellationRefused: { breaks: (p) => (p.shipmentId = null), path: 'payload.shipmentId' },
  NotificationSent: { breaks: (p) => (p.kind = 'received'), path: 'payload.kind' },
  ReleaseReservationRequested: { breaks: (p) => delete p.caseId, path: 'payload.caseId' },
  VoidPaymentRequested: { breaks: (p) => (p.rule = ''), path: 'payload.rule' },
  RefundPaymentRequested: { breaks: (p) => (p.amountMinor = 0), path: 'payload.amountMinor' },
  CapturePaymentRequested: { breaks: (p) => delete p.shipmentId, path: 'payload.shipmentId' },
  ResendNotificationRequested: { breaks: (p) => (p.kind = 'order-received'), path: 'payload.kind' },
  RepublishEventsRequested: { breaks: (p) => (p.eventTypes = []), path: 'payload.eventTypes' },
  PaymentRepairRefused: { breaks: (p) => delete p.commandEventId, path: 'payload.commandEventId' },
  InventoryRepairRefused: { breaks: (p) => (p.reason = ''), path: 'payload.reason' },
  NotificationRepairRefused: { breaks: (p) => delete p.commandType, path: 'payload.commandType' },
};

const copyOf = (type: EventType): Record<string, unknown> & { payload: Payload } => structuredClone(sampleEvents[type]) as never;

describe('parseEvent', () => {
  describe('when given the sample of each event type', () => {
    it.each(EVENT_TYPES)('accepts %s and returns it unchanged', (type) => {
      const result = parseEvent(JSON.parse(JSON.stringify(sampleEvents[type])));
      expect(result).toEqual({ ok: true, event: sampleEvents[type] });
    });
  });

  describe('when a payload is invalid', () => {
    it.each(EVENT_TYPES)('rejects %s, naming the failing field', (type) => {
      const raw = copyOf(type);
      invalidPayloads[type].breaks(raw.payload);
      const result = parseEvent(raw);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toMatch(new RegExp(`^${escape(invalidPayloads[type].path)}: `));
    });

    it('explains the failure the way zod words it', () => {
      const raw = copyOf('OrderPlaced');
      raw.payload.lines![0].quantity = 0;
      const result = parseEvent(raw);
      expect(!result.ok && result.reason.split('; ')[0]).toBe('payload.lines[0].quantity: Too small: expected number to be >0');
    });

    it('rejects an order whose total is not the sum of its lines', () => {
      const raw = copyOf('OrderPlaced');
      raw.payload.totalMinor = 4999;
      expect(parseEvent(raw)).toMatchObject({ ok: false, reason: expect.stringMatching(/^payload\.totalMinor: Must equal the sum/) });
    });

    it('lists every failing field', () => {
      const raw = copyOf('PaymentAuthorized');
      raw.payload.amountMinor = -5;
      raw.payload.currency = 'euro';
      const result = parseEvent(raw);
      expect(!result.ok && result.reason.split('; ').map((part) => part.split(':')[0])).toEqual(['payload.amountMinor', 'payload.currency']);
    });
  });

  describe('when the envelope is invalid', () => {
    it('rejects a message that is not an object', () => {
      expect(parseEvent('OrderPlaced')).toEqual({ ok: false, reason: '(root): Invalid input: expected object, received string' });
    });

    it.each([
      ['eventId', 'not-a-uuid'],
      ['version', 0],
      ['occurredAt', 'yesterday'],
      ['orderId', ''],
      ['causationId', undefined],
      ['producer', 7],
    ])('rejects a bad %s, naming it', (field, value) => {
      const raw = { ...copyOf('OrderPlaced'), [field]: value };
      expect(parseEvent(raw)).toMatchObject({ ok: false, reason: expect.stringMatching(new RegExp(`^${field}: `)) });
    });
  });

  describe('when the type or version is not in the catalog', () => {
    it('rejects an unknown type, naming it', () => {
      expect(parseEvent({ ...copyOf('OrderPlaced'), type: 'OrderTeleported' })).toEqual({
        ok: false,
        reason: 'type: unknown event type "OrderTeleported"',
      });
    });

    it('does not mistake inherited property names for event types', () => {
      expect(parseEvent({ ...copyOf('OrderPlaced'), type: 'toString' })).toMatchObject({ ok: false });
    });

    it('rejects an unknown version, naming it and the known ones', () => {
      expect(parseEvent({ ...copyOf('OrderPlaced'), version: 2 })).toEqual({
        ok: false,
        reason: 'version: unknown version 2 of event type "OrderPlaced" (known: 1)',
      });
    });
  });

  it('tolerates and strips fields it does not know (producers may add optional fields first)', () => {
    const raw = { ...copyOf('ShipmentDelivered'), traceId: 'abc', payload: { shipmentId: 'shp_1', signedBy: 'Ada' } };
    const result = parseEvent(raw);
    expect(result.ok && result.event).toEqual({ ...sampleEvents.ShipmentDelivered, payload: { shipmentId: 'shp_1' } });
  });
});

describe('createEvent', () => {
  const meta = { orderId: 'ord-1', correlationId: 'corr-1', causationId: null, producer: 'order-service' };

  it('fills a fresh eventId, the current time and the latest version', () => {
    const before = Date.now();
    const event = createEvent('OrderCancellationRequested', { reason: 'changed my mind' }, meta);
    const other = createEvent('OrderCancellationRequested', { reason: 'changed my mind' }, meta);

    expect(event).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      type: 'OrderCancellationRequested',
      version: EVENT_CATALOG.OrderCancellationRequested.latestVersion,
      occurredAt: expect.any(String),
      orderId: 'ord-1',
      correlationId: 'corr-1',
      causationId: null,
      producer: 'order-service',
      payload: { reason: 'changed my mind' },
    });
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(other.eventId).not.toBe(event.eventId);
  });

  it('keeps a given eventId and occurredAt (string or Date)', () => {
    const eventId = '00000000-0000-4000-8000-00000000abcd';
    expect(createEvent('OrderCancellationRequested', { reason: 'x' }, { ...meta, eventId, occurredAt: '2025-02-01T08:00:00Z' })).toMatchObject({
      eventId,
      occurredAt: '2025-02-01T08:00:00Z',
    });
    expect(createEvent('OrderCancellationRequested', { reason: 'x' }, { ...meta, occurredAt: new Date(Date.UTC(2025, 1, 1, 8)) }).occurredAt).toBe(
      '2025-02-01T08:00:00.000Z',
    );
  });

  it('produces what parseEvent accepts', () => {
    const { payload } = sampleEvents.OrderPlaced;
    const event = createEvent('OrderPlaced', payload, meta);
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
  });

  it('throws an InvalidEventError naming the field when the payload is invalid', () => {
    const act = () => createEvent('PaymentAuthorized', { paymentId: 'pay_1', amountMinor: 0, currency: 'EUR' }, { ...meta, producer: 'payment-service' });
    expect(act).toThrow(InvalidEventError);
    expect(act).toThrow(expect.objectContaining({ eventType: 'PaymentAuthorized', reason: expect.stringMatching(/^payload\.amountMinor: Too small/) }));
  });

  it('throws an InvalidEventError when the producer does not own the event type', () => {
    expect(() => createEvent('OrderCancellationRequested', { reason: 'x' }, { ...meta, producer: 'payment-service' })).toThrow(
      expect.objectContaining({ name: 'InvalidEventError', reason: 'producer: OrderCancellationRequested is produced by "order-service", not "payment-service"' }),
    );
  });

  it('throws an InvalidEventError when the metadata is invalid', () => {
    expect(() => createEvent('OrderCancellationRequested', { reason: 'x' }, { ...meta, orderId: '' })).toThrow(
      expect.objectContaining({ reason: expect.stringMatching(/^orderId: /) }),
    );
  });

  it('throws an InvalidEventError for a type outside the catalog', () => {
    expect(() => createEvent('Nope' as EventType, {} as never, meta)).toThrow(InvalidEventError);
  });
});

describe('causedBy', () => {
  it('continues the order and flow of the cause, pointing back at it', () => {
    const cause = sampleEvents.OrderPlaced;
    expect(causedBy(cause, 'inventory-service')).toEqual({
      orderId: cause.orderId,
      correlationId: cause.correlationId,
      causationId: cause.eventId,
      producer: 'inventory-service',
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
