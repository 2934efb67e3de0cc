import { orderMilestonesSchema } from '@commerce/contracts';
import { type PaymentRecord, toOrderMilestones } from './payment-milestones';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 15, 10, minute));

const pending: PaymentRecord = {
  paymentId: 'pay-1',
  orderId: 'order-1',
  status: 'PENDING',
  currency: null,
  authorizedMinor: 0,
  capturedMinor: 0,
  refundedMinor: 0,
  voidedMinor: 0,
  authorizedAt: null,
  declinedAt: null,
  declineReason: null,
  voidedAt: null,
  updatedAt: '2025-01-15T10:01:00.000123Z',
  captures: [],
  refunds: [],
};

describe('toOrderMilestones', () => {
  it('reports a payment waiting for data as PENDING with no milestones', () => {
    const item = toOrderMilestones(pending);
    expect(orderMilestonesSchema.parse(item)).toEqual(item);
    expect(item).toMatchObject({ status: 'PENDING', milestones: [], facts: { authorizedMinor: 0, currency: null } });
  });

  it('reports a decline with its reason', () => {
    const item = toOrderMilestones({ ...pending, status: 'DECLINED', currency: 'EUR', declinedAt: at(2), declineReason: 'gateway timeout' });
    expect(item.milestones).toEqual([{ name: 'DECLINED', at: at(2).toISOString(), ref: 'pay-1', detail: { reason: 'gateway timeout' } }]);
  });

  it('lists authorization, captures per shipment, refund and void in time order with the money figures', () => {
    const item = toOrderMilestones({
      ...pending,
      status: 'REFUNDED',
      currency: 'EUR',
      authorizedMinor: 5000,
      capturedMinor: 2500,
      refundedMinor: 2500,
      voidedMinor: 2500,
      authorizedAt: at(1),
      voidedAt: at(4),
      captures: [{ shipmentId: 'shp-1', amountMinor: 2500, capturedAt: at(2) }],
      refunds: [{ refundId: 'ref-1', amountMinor: 2500, reason: 'order-cancelled', refundedAt: at(4) }],
    });
    expect(orderMilestonesSchema.parse(item)).toEqual(item);
    expect(item.milestones.map((m) => [m.name, m.ref, m.amountMinor])).toEqual([
      ['AUTHORIZED', 'pay-1', 5000],
      ['CAPTURED', 'shp-1', 2500],
      ['VOIDED', 'pay-1', 2500],
      ['REFUNDED', 'ref-1', 2500],
    ]);
    expect(item.facts).toEqual({
      paymentId: 'pay-1',
      authorizedMinor: 5000,
      capturedMinor: 2500,
      refundedMinor: 2500,
      voidedMinor: 2500,
      currency: 'EUR',
    });
  });
});
