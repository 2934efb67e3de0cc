import { milestonesPageSchema } from '@commerce/contracts';
import { toOrderMilestones } from './order-milestones';

const t = (minute: number) => new Date(Date.UTC(2025, 0, 15, 10, minute));
const facts = {
  orderId: 'o-1',
  currency: 'EUR',
  orderPlacedAt: t(0),
  inventoryReservedAt: t(1),
  paymentAuthorizedAt: t(2),
  cancellationRequestedAt: null,
  cancellationReason: null,
  updatedAt: t(9),
};
const shipment = {
  id: 'shp_1',
  node: 'wh-berlin',
  status: 'CREATED' as const,
  lines: [{ sku: 'MUG', quantity: 2, unitPriceMinor: 1250 }],
  valueMinor: 2500,
  currency: 'EUR',
  createdAt: t(3),
  dispatchedAt: null,
  deliveredAt: null,
  cancelledAt: null,
  cancellationReason: null,
  cancellationRefusedAt: null,
  cancellationRefusedReason: null,
};

describe('toOrderMilestones', () => {
  it('says which facts are awaited while no shipment exists', () => {
    const item = toOrderMilestones({ ...facts, paymentAuthorizedAt: null }, []);
    expect(item.status).toBe('AWAITING');
    expect(item.milestones).toEqual([]);
    expect(item.facts).toMatchObject({ shipments: 0, awaitingFacts: 'PaymentAuthorized', cancellationRefused: false });
  });

  it('lists each shipment step with its value when dispatched', () => {
    const item = toOrderMilestones(facts, [
      { ...shipment, status: 'DELIVERED', dispatchedAt: t(4), deliveredAt: t(5) },
      { ...shipment, id: 'shp_2', node: 'wh-hamburg', valueMinor: 1000, lines: [{ sku: 'TEE', quantity: 1, unitPriceMinor: 1000 }] },
    ]);
    expect(item.status).toBe('PARTIALLY_DISPATCHED');
    expect(item.milestones.map((m) => [m.name, m.ref])).toEqual([
      ['CREATED', 'shp_1'],
      ['CREATED', 'shp_2'],
      ['DISPATCHED', 'shp_1'],
      ['DELIVERED', 'shp_1'],
    ]);
    expect(item.milestones[2]).toMatchObject({ amountMinor: 2500, currency: 'EUR', quantity: 2 });
    expect(item.facts).toEqual({
      shipments: 2,
      dispatched: 1,
      delivered: 1,
      cancelled: 0,
      dispatchedValueMinor: 2500,
      currency: 'EUR',
      cancellationRefused: false,
      awaitingFacts: null,
    });
  });

  it('shows a refused cancellation', () => {
    const item = toOrderMilestones({ ...facts, cancellationRequestedAt: t(6), cancellationReason: 'changed mind' }, [
      { ...shipment, status: 'DISPATCHED', dispatchedAt: t(4), cancellationRefusedAt: t(6), cancellationRefusedReason: 'already dispatched' },
    ]);
    expect(item.status).toBe('CANCELLATION_REFUSED');
    expect(item.milestones.at(-1)).toMatchObject({ name: 'CANCELLATION_REFUSED', ref: 'shp_1', detail: { reason: 'already dispatched' } });
    expect(item.facts['cancellationRefused']).toBe(true);
  });

  it('shows a cancellation that came before any shipment', () => {
    const item = toOrderMilestones({ ...facts, cancellationRequestedAt: t(2), cancellationReason: 'changed mind' }, []);
    expect(item.status).toBe('CANCELLED');
    expect(item.milestones).toEqual([
      { name: 'CANCELLED', at: t(2).toISOString(), detail: { reason: 'changed mind', beforeShipmentsCreated: true } },
    ]);
  });

  it('matches the /milestones contract', () => {
    const page = {
      service: 'shipment-service',
      items: [toOrderMilestones(facts, [{ ...shipment, status: 'CANCELLED', cancelledAt: t(5), cancellationReason: 'x' }])],
      nextCursor: null,
    };
    expect(milestonesPageSchema.parse(page)).toEqual(page);
  });
});
