import {
  compensationsComplete,
  deriveOrderStatus,
  type FactEventType,
  type HeardFact,
  type MilestoneInputs,
  orderMilestones,
  shipmentsOf,
  type StatusInputs,
} from './order-status';

let minute = 0;
/** A fact at the next minute, so timelines are ordered the way the test writes them. */
function fact(event: FactEventType, ref: string | null = null, extra: Partial<HeardFact> = {}): HeardFact {
  minute += 1;
  return { event, ref, at: new Date(Date.UTC(2025, 0, 15, 10, minute)).toISOString(), ...extra };
}

const reserved = () => fact('InventoryReserved', 'res_1');
const rejected = () => fact('InventoryRejected', null, { detail: { reason: 'insufficient-stock' } });
const released = () => fact('InventoryReleased', 'res_1');
const authorized = () => fact('PaymentAuthorized', 'pay_1', { amountMinor: 5000, currency: 'EUR' });
const declined = () => fact('PaymentDeclined', 'pay_1', { detail: { reason: 'card-declined' } });
const voided = () => fact('PaymentVoided', 'pay_1');
const refunded = () => fact('PaymentRefunded', 'pay_1');
const captured = (shipmentId: string) => fact('PaymentCaptured', shipmentId);
const created = (shipmentId: string) => fact('ShipmentCreated', shipmentId);
const dispatched = (shipmentId: string) => fact('ShipmentDispatched', shipmentId);
const delivered = (shipmentId: string) => fact('ShipmentDelivered', shipmentId);
const shipmentCancelled = (shipmentId: string) => fact('ShipmentCancelled', shipmentId);
const refused = (shipmentId: string) => fact('ShipmentCancellationRefused', shipmentId);

function status(heard: HeardFact[], { cancellationRequested = false, cancelled = false } = {}): string {
  const inputs: StatusInputs = {
    heard,
    cancellationRequestedAt: cancellationRequested ? '2025-01-15T09:59:00.000Z' : null,
    cancelledAt: cancelled ? '2025-01-15T09:59:30.000Z' : null,
  };
  return deriveOrderStatus(inputs);
}

/** Every ordering of a list (the facts of one order are few). */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('deriveOrderStatus', () => {
  describe('when nothing was heard', () => {
    it('is PLACED', () => {
      expect(status([])).toBe('PLACED');
    });
  });

  describe('on the happy path', () => {
    it('stays PLACED while only the reservation is heard', () => {
      expect(status([reserved()])).toBe('PLACED');
    });

    it('is CONFIRMED once the payment is authorized', () => {
      expect(status([reserved(), authorized()])).toBe('CONFIRMED');
    });

    it('stays CONFIRMED while shipments are created but not dispatched', () => {
      expect(status([reserved(), authorized(), created('s1'), created('s2')])).toBe('CONFIRMED');
    });

    it('stays CONFIRMED while only some shipments are dispatched', () => {
      expect(status([reserved(), authorized(), created('s1'), created('s2'), dispatched('s1')])).toBe('CONFIRMED');
    });

    it('is SHIPPED when every created shipment is dispatched', () => {
      expect(status([reserved(), authorized(), created('s1'), created('s2'), dispatched('s1'), dispatched('s2')])).toBe('SHIPPED');
    });

    it('stays SHIPPED while only some shipments are delivered', () => {
      const heard = [reserved(), authorized(), created('s1'), created('s2'), dispatched('s1'), dispatched('s2'), delivered('s1')];
      expect(status(heard)).toBe('SHIPPED');
    });

    it('is DELIVERED when every created shipment is delivered', () => {
      const heard = [reserved(), authorized(), created('s1'), created('s2'), dispatched('s1'), dispatched('s2'), delivered('s1'), delivered('s2')];
      expect(status(heard)).toBe('DELIVERED');
    });

    it('is not moved by captures (they are the payment side of a dispatch)', () => {
      expect(status([reserved(), authorized(), created('s1'), captured('s1')])).toBe('CONFIRMED');
    });
  });

  describe('when events arrive out of order', () => {
    it('is SHIPPED even when the dispatch is heard before the authorization', () => {
      expect(status([created('s1'), dispatched('s1')])).toBe('SHIPPED');
      expect(status([created('s1'), dispatched('s1'), authorized(), reserved()])).toBe('SHIPPED');
    });

    it('gives the same status for every arrival order of the same facts', () => {
      const heard = [reserved(), authorized(), created('s1'), dispatched('s1'), delivered('s1')];
      for (const ordering of permutations(heard)) {
        expect(status(ordering)).toBe('DELIVERED');
      }
    });

    it('gives the same cancellation outcome for every arrival order of the compensations', () => {
      const heard = [reserved(), authorized(), created('s1'), released(), voided(), shipmentCancelled('s1')];
      for (const ordering of permutations(heard)) {
        expect(status(ordering, { cancellationRequested: true })).toBe('CANCELLED');
      }
    });

    it('is REJECTED whenever the decline is heard, before or after the reservation and its release', () => {
      for (const ordering of permutations([reserved(), declined(), released()])) {
        expect(status(ordering)).toBe('REJECTED');
      }
    });
  });

  describe('when the order is rejected', () => {
    it('is REJECTED when inventory rejected it', () => {
      expect(status([rejected()])).toBe('REJECTED');
    });

    it('is REJECTED when the payment was declined, released reservation or not', () => {
      expect(status([reserved(), declined()])).toBe('REJECTED');
      expect(status([reserved(), declined(), released()])).toBe('REJECTED');
    });

    it('is REJECTED rather than CANCELLED when a pending cancellation meets a decline', () => {
      expect(status([reserved(), declined(), released()], { cancellationRequested: true })).toBe('REJECTED');
    });
  });

  describe('when a cancellation is requested', () => {
    it('is CANCELLED at once when nothing was reserved, authorized or shipped', () => {
      expect(status([], { cancellationRequested: true })).toBe('CANCELLED');
    });

    it('waits for the reservation to be released', () => {
      expect(status([reserved()], { cancellationRequested: true })).toBe('PLACED');
      expect(status([reserved(), released()], { cancellationRequested: true })).toBe('CANCELLED');
    });

    it('waits for the authorization to be voided', () => {
      expect(status([reserved(), authorized(), released()], { cancellationRequested: true })).toBe('CONFIRMED');
      expect(status([reserved(), authorized(), released(), voided()], { cancellationRequested: true })).toBe('CANCELLED');
    });

    it('accepts a refund instead of a void', () => {
      expect(status([reserved(), authorized(), released(), refunded()], { cancellationRequested: true })).toBe('CANCELLED');
    });

    it('waits for every created shipment to be cancelled', () => {
      const before = [reserved(), authorized(), created('s1'), created('s2'), released(), voided(), shipmentCancelled('s1')];
      expect(status(before, { cancellationRequested: true })).toBe('CONFIRMED');
      expect(status([...before, shipmentCancelled('s2')], { cancellationRequested: true })).toBe('CANCELLED');
    });

    it('is not CANCELLED by compensations alone, without a request', () => {
      expect(status([reserved(), released()])).toBe('PLACED');
      expect(status([reserved(), authorized(), released(), voided()])).toBe('CONFIRMED');
    });

    it('stays CANCELLED once CANCELLED, whatever is heard afterwards', () => {
      expect(status([reserved(), authorized(), created('s1'), dispatched('s1')], { cancellationRequested: true, cancelled: true })).toBe('CANCELLED');
      expect(status([rejected()], { cancellationRequested: true, cancelled: true })).toBe('CANCELLED');
    });
  });

  describe('when a cancellation is refused', () => {
    it('keeps SHIPPED when the only shipment was already dispatched', () => {
      const heard = [reserved(), authorized(), created('s1'), dispatched('s1'), refused('s1'), released()];
      expect(status(heard, { cancellationRequested: true })).toBe('SHIPPED');
    });

    it('goes on to DELIVERED when the refused shipment is delivered', () => {
      const heard = [reserved(), authorized(), created('s1'), dispatched('s1'), refused('s1'), delivered('s1')];
      expect(status(heard, { cancellationRequested: true })).toBe('DELIVERED');
    });

    it('follows the shipment that was not cancelled when one of two was', () => {
      const heard = [reserved(), authorized(), created('s1'), created('s2'), dispatched('s1'), refused('s1'), shipmentCancelled('s2')];
      expect(status(heard, { cancellationRequested: true })).toBe('SHIPPED');
      expect(status([...heard, delivered('s1')], { cancellationRequested: true })).toBe('DELIVERED');
    });
  });
});

describe('compensationsComplete', () => {
  it('holds for an order nothing happened to', () => {
    expect(compensationsComplete([])).toBe(true);
  });

  it('holds when inventory rejected and nothing else was heard', () => {
    expect(compensationsComplete([rejected()])).toBe(true);
  });

  it('fails while a shipment is dispatched', () => {
    expect(compensationsComplete([reserved(), released(), authorized(), voided(), created('s1'), dispatched('s1')])).toBe(false);
  });
});

describe('shipmentsOf', () => {
  it('knows a shipment from any of its events, not only from ShipmentCreated', () => {
    const shipments = shipmentsOf([dispatched('s9'), created('s1')]);
    expect(shipments.map((s) => [s.shipmentId, s.created, s.dispatchedAt !== null])).toEqual([
      ['s9', false, true],
      ['s1', true, false],
    ]);
  });

  it('ignores facts that are not about shipments', () => {
    expect(shipmentsOf([authorized(), captured('s1')])).toEqual([]);
  });
});

describe('orderMilestones', () => {
  const base: MilestoneInputs = {
    orderId: 'ord-1',
    placedAt: '2025-01-15T10:00:00.000Z',
    totalMinor: 5000,
    currency: 'EUR',
    units: 3,
    cancellationRequestedAt: null,
    cancellationReason: null,
    cancelledAt: null,
    heard: [],
  };

  beforeEach(() => {
    minute = 0;
  });

  it('starts with PLACED carrying the total and the units', () => {
    expect(orderMilestones(base)).toEqual([
      { name: 'PLACED', at: base.placedAt, ref: 'ord-1', amountMinor: 5000, currency: 'EUR', quantity: 3 },
    ]);
  });

  it('lists the happy path at the times the deciding facts happened', () => {
    const heard = [reserved(), authorized(), created('s1'), dispatched('s1'), delivered('s1')];
    const milestones = orderMilestones({ ...base, heard });
    expect(milestones.map((m) => m.name)).toEqual(['PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED']);
    expect(milestones[1]).toMatchObject({ at: heard[1].at, ref: 'pay_1', amountMinor: 5000, currency: 'EUR' });
    expect(milestones[2].at).toBe(heard[3].at);
    expect(milestones[3].at).toBe(heard[4].at);
  });

  it('dates SHIPPED at the last dispatch of several shipments', () => {
    const heard = [authorized(), created('s1'), created('s2'), dispatched('s2'), dispatched('s1')];
    const shipped = orderMilestones({ ...base, heard }).find((m) => m.name === 'SHIPPED');
    expect(shipped).toMatchObject({ at: heard[4].at, quantity: 2 });
  });

  it('says who rejected the order and why', () => {
    const heard = [reserved(), declined()];
    expect(orderMilestones({ ...base, heard }).find((m) => m.name === 'REJECTED')).toEqual({
      name: 'REJECTED',
      at: heard[1].at,
      ref: 'pay_1',
      detail: { by: 'payment', reason: 'card-declined' },
    });
  });

  it('records the cancellation request, the refusal per shipment, and no CANCELLED while refused', () => {
    const heard = [authorized(), created('s1'), dispatched('s1'), refused('s1')];
    const milestones = orderMilestones({
      ...base,
      heard,
      cancellationRequestedAt: '2025-01-15T10:03:30.000Z',
      cancellationReason: 'changed my mind',
    });
    expect(milestones.map((m) => m.name)).toEqual(['PLACED', 'CONFIRMED', 'SHIPPED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REFUSED']);
    expect(milestones[3].detail).toEqual({ reason: 'changed my mind' });
    expect(milestones[4]).toEqual({ name: 'CANCELLATION_REFUSED', at: heard[3].at, ref: 's1' });
  });

  it('ends with CANCELLED at the time it was found cancelled', () => {
    const milestones = orderMilestones({
      ...base,
      cancellationRequestedAt: '2025-01-15T10:01:00.000Z',
      cancelledAt: '2025-01-15T10:02:00.000Z',
    });
    expect(milestones.map((m) => [m.name, m.at])).toEqual([
      ['PLACED', base.placedAt],
      ['CANCELLATION_REQUESTED', '2025-01-15T10:01:00.000Z'],
      ['CANCELLED', '2025-01-15T10:02:00.000Z'],
    ]);
  });
});
