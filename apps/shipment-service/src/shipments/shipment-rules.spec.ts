import { cancellationOutcome, enteredCurrentState, orderShipmentStatus, readyToCreateShipments, type ShipmentStatus } from './shipment-rules';

const at = new Date('2025-01-15T10:00:00Z');
const shipment = (status: ShipmentStatus, refused = false) => ({ status, cancellationRefusedAt: refused ? at : null });

describe('cancellationOutcome', () => {
  it('cancels a shipment that has not left', () => expect(cancellationOutcome(shipment('CREATED'))).toBe('cancel'));
  it('refuses for a dispatched one', () => expect(cancellationOutcome(shipment('DISPATCHED'))).toBe('refuse'));
  it('refuses for a delivered one', () => expect(cancellationOutcome(shipment('DELIVERED'))).toBe('refuse'));
  it('refuses only once', () => expect(cancellationOutcome(shipment('DISPATCHED', true))).toBe('none'));
  it('leaves a cancelled one alone', () => expect(cancellationOutcome(shipment('CANCELLED'))).toBe('none'));
});

describe('readyToCreateShipments', () => {
  const all = { orderPlacedAt: at, inventoryReservedAt: at, paymentAuthorizedAt: at, shipmentsCreatedAt: null, cancellationRequestedAt: null };

  it('is ready when the three facts are known', () => expect(readyToCreateShipments(all)).toBe(true));
  it.each(['orderPlacedAt', 'inventoryReservedAt', 'paymentAuthorizedAt'] as const)('waits while %s is unknown', (fact) =>
    expect(readyToCreateShipments({ ...all, [fact]: null })).toBe(false),
  );
  it('creates only once', () => expect(readyToCreateShipments({ ...all, shipmentsCreatedAt: at })).toBe(false));
  it('never creates for a cancelled order', () => expect(readyToCreateShipments({ ...all, cancellationRequestedAt: at })).toBe(false));
});

describe('orderShipmentStatus', () => {
  const open = { cancellationRequestedAt: null };
  const cancelled = { cancellationRequestedAt: at };

  it('is AWAITING while no shipment exists', () => expect(orderShipmentStatus(open, [])).toBe('AWAITING'));
  it('is CANCELLED when cancelled before any shipment existed', () => expect(orderShipmentStatus(cancelled, [])).toBe('CANCELLED'));
  it('is CREATED while nothing has left', () => expect(orderShipmentStatus(open, [shipment('CREATED'), shipment('CREATED')])).toBe('CREATED'));
  it('is PARTIALLY_DISPATCHED when some have left', () =>
    expect(orderShipmentStatus(open, [shipment('DISPATCHED'), shipment('CREATED')])).toBe('PARTIALLY_DISPATCHED'));
  it('is DISPATCHED when all have left', () =>
    expect(orderShipmentStatus(open, [shipment('DISPATCHED'), shipment('DELIVERED')])).toBe('DISPATCHED'));
  it('is DELIVERED when all are delivered', () => expect(orderShipmentStatus(open, [shipment('DELIVERED')])).toBe('DELIVERED'));
  it('is CANCELLED when every shipment is', () => expect(orderShipmentStatus(cancelled, [shipment('CANCELLED')])).toBe('CANCELLED'));
  it('is CANCELLATION_REFUSED when a dispatched shipment refused', () =>
    expect(orderShipmentStatus(cancelled, [shipment('DISPATCHED', true), shipment('CANCELLED')])).toBe('CANCELLATION_REFUSED'));
  it('is DELIVERED once a refused shipment is delivered', () =>
    expect(orderShipmentStatus(cancelled, [shipment('DELIVERED', true)])).toBe('DELIVERED'));
});

describe('enteredCurrentState', () => {
  const stamps = {
    createdAt: new Date('2025-01-15T10:00:00Z'),
    dispatchedAt: new Date('2025-01-15T11:00:00Z'),
    deliveredAt: new Date('2025-01-16T09:00:00Z'),
    cancelledAt: new Date('2025-01-15T10:30:00Z'),
  };
  it.each([
    ['CREATED', stamps.createdAt],
    ['DISPATCHED', stamps.dispatchedAt],
    ['DELIVERED', stamps.deliveredAt],
    ['CANCELLED', stamps.cancelledAt],
  ] as const)('reads %s from its own column', (status, expected) => expect(enteredCurrentState({ ...stamps, status })).toBe(expected));
  it('is unknown when the column was never stamped', () => expect(enteredCurrentState({ ...stamps, status: 'DISPATCHED', dispatchedAt: null })).toBeNull());
});
