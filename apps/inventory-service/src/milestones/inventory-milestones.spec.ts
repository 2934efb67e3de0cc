import { orderMilestonesSchema } from '@commerce/contracts';
import { type ReservationRecord, toOrderMilestones } from './inventory-milestones';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 15, 10, minute));

const reserved: ReservationRecord = {
  reservationId: 'res-1',
  orderId: 'order-1',
  status: 'RESERVED',
  requestedUnits: 3,
  rejection: null,
  releaseReason: null,
  releasedAt: null,
  createdAt: at(1),
  updatedAt: '2025-01-15T10:01:00.000123Z',
  lines: [
    { quantity: 2, committedQuantity: 0, releasedQuantity: 0 },
    { quantity: 1, committedQuantity: 0, releasedQuantity: 0 },
  ],
  commits: [],
};

describe('toOrderMilestones', () => {
  it('reports a fresh reservation as RESERVED with every unit held', () => {
    const item = toOrderMilestones(reserved);
    expect(orderMilestonesSchema.parse(item)).toEqual(item);
    expect(item).toMatchObject({
      status: 'RESERVED',
      milestones: [{ name: 'RESERVED', ref: 'res-1', quantity: 3, at: '2025-01-15T10:01:00.000Z' }],
      facts: { reservedUnits: 3, committedUnits: 0, releasedUnits: 0, requestedUnits: 3 },
    });
  });

  it('lists a COMMITTED milestone per shipment and a RELEASED one for the rest', () => {
    const item = toOrderMilestones({
      ...reserved,
      status: 'RELEASED',
      releaseReason: 'order-cancelled',
      releasedAt: at(5),
      lines: [
        { quantity: 2, committedQuantity: 2, releasedQuantity: 0 },
        { quantity: 1, committedQuantity: 0, releasedQuantity: 1 },
      ],
      commits: [{ shipmentId: 'shp-1', node: 'wh-berlin', units: 2, committedAt: at(3) }],
    });
    expect(item.milestones.map((m) => [m.name, m.ref, m.quantity])).toEqual([
      ['RESERVED', 'res-1', 3],
      ['COMMITTED', 'shp-1', 2],
      ['RELEASED', 'res-1', 1],
    ]);
    expect(item.facts).toEqual({ reservationId: 'res-1', reservedUnits: 0, committedUnits: 2, releasedUnits: 1, requestedUnits: 3 });
  });

  it('reports a rejection with its reason and nothing held', () => {
    const item = toOrderMilestones({
      ...reserved,
      status: 'REJECTED',
      lines: [],
      rejection: { reason: 'insufficient-stock', unavailable: [{ sku: 'MUG', requested: 3, available: 1 }] },
    });
    expect(item).toMatchObject({
      status: 'REJECTED',
      milestones: [{ name: 'REJECTED', quantity: 3, detail: { reason: 'insufficient-stock' } }],
      facts: { reservedUnits: 0, committedUnits: 0, releasedUnits: 0, requestedUnits: 3 },
    });
  });
});
