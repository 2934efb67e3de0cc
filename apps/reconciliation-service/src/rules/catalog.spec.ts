import {
  at,
  cancelledOrder,
  date,
  declinedOrder,
  deliveredOrder,
  inventoryRecord,
  notificationRecord,
  orderRecord,
  paymentRecord,
  rejectedOrder,
  shipmentRecord,
  withAnswers,
} from '../../test/support/milestones';
import { consistentOrders, oneDivergencePerRule } from '../../test/support/scenarios';
import { findRule, RULES, ruleCatalog } from './catalog';
import { type OrderView, orderView, SOURCE_SERVICES, type SourceService, UNAVAILABLE } from './order-view';
import { judge, type Outcome, type Rule } from './rule';

const rule = (id: string): Rule => {
  const found = findRule(RULES, id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};
/** The rule's outcome for the view at `minutes` after the fixtures' base time. */
const outcome = (id: string, view: OrderView, minutes: number): Outcome => judge(rule(id), view, date(minutes));
const name = (id: string, view: OrderView, minutes: number) => outcome(id, view, minutes).outcome;

const CONSISTENT: Record<string, (orderId: string) => OrderView> = {
  delivered: deliveredOrder,
  'rejected by inventory': rejectedOrder,
  'declined by payment': declinedOrder,
  'cancelled before dispatch': cancelledOrder,
};

describe('the rule catalog', () => {
  it('lists the twelve invariants of the brief, each with a grace setting and the services it reads', () => {
    expect(RULES.map((r) => r.id)).toEqual([
      'stuck-at-inventory',
      'stuck-at-payment',
      'stuck-at-shipment',
      'dispatched-not-captured',
      'declined-still-reserved',
      'cancelled-still-reserved',
      'cancelled-still-charged',
      'cancelled-but-dispatched',
      'amount-mismatch',
      'status-contradiction',
      'missing-notification',
      'orphan-record',
    ]);
    for (const r of RULES) {
      expect(r.graceSetting).toMatch(/^RULE_GRACE_MS_[A-Z_]+$/);
      expect(r.needs.length).toBeGreaterThan(0);
    }
  });

  it('takes each grace from its setting when set', () => {
    const rules = ruleCatalog({ RULE_GRACE_MS_STUCK_AT_INVENTORY: 1000, RULE_GRACE_MS_ORPHAN_RECORD: undefined });
    expect(findRule(rules, 'stuck-at-inventory')?.graceMs).toBe(1000);
    expect(findRule(rules, 'orphan-record')?.graceMs).toBe(600_000);
  });

  describe.each(Object.entries(CONSISTENT))('when an order was %s consistently everywhere', (_label, build) => {
    it.each(RULES.map((r) => r.id))('%s holds', (id) => {
      expect(outcome(id, build('o-1'), 24 * 60)).toEqual({ outcome: 'holds' });
    });
  });

  describe.each(RULES.map((r) => [r.id, r] as const))('%s', (_id, r) => {
    it.each(r.needs.map((s) => [s]))('is unknown when %s did not answer, never read as "no milestones"', (service: SourceService) => {
      const view = withAnswers(deliveredOrder('o-1'), { [service]: UNAVAILABLE });
      expect(judge(r, view, date(24 * 60))).toEqual({ outcome: 'unknown', unavailable: [service] });
    });

    it('needs only services that exist', () => {
      for (const service of r.needs) expect(SOURCE_SERVICES).toContain(service);
    });

    // A repair reads the order afresh from these services only: what the rule says and what its
    // repair plans must not change when the others are not read.
    it('reads nothing but what it needs, for its outcome and its repair', () => {
      const views = [...Object.values(CONSISTENT).map((build) => build('o-1')), ...Object.values(oneDivergencePerRule()), ...consistentOrders(12)];
      const onlyNeeded = (view: OrderView): OrderView => ({
        ...view,
        services: Object.fromEntries(SOURCE_SERVICES.map((service) => [service, r.needs.includes(service) ? view.services[service] : UNAVAILABLE])) as OrderView['services'],
      });
      for (const view of views) {
        for (const minutes of [5, 60, 24 * 60]) {
          const whole = judge(r, view, date(minutes));
          expect(judge(r, onlyNeeded(view), date(minutes))).toEqual(whole);
          if (whole.outcome === 'violated' && r.repair.kind === 'auto') expect(r.repair.command.plan(onlyNeeded(view))).toEqual(r.repair.command.plan(view));
        }
      }
    });
  });
});

describe('stuck-at-inventory', () => {
  const placed = (inventory: ReturnType<typeof inventoryRecord> | null) =>
    orderView('o-1', { order: orderRecord('o-1', { placedAt: at(0) }), inventory });

  it('is within grace for 2 minutes after the order was placed, then violated', () => {
    expect(outcome('stuck-at-inventory', placed(null), 1)).toMatchObject({ outcome: 'within-grace', dueAt: date(2) });
    expect(outcome('stuck-at-inventory', placed(null), 2)).toMatchObject({ outcome: 'violated', since: date(0), details: { inventory: 'no record' } });
  });

  it('holds once inventory reserved or rejected', () => {
    expect(name('stuck-at-inventory', placed(inventoryRecord('o-1', { reservedAt: at(1) })), 60)).toBe('holds');
    expect(name('stuck-at-inventory', placed(inventoryRecord('o-1', { rejectedAt: at(1) })), 60)).toBe('holds');
  });

  it('holds when the order service does not know the order (orphan-record reports that)', () => {
    expect(name('stuck-at-inventory', orderView('o-1', { inventory: null }), 60)).toBe('holds');
  });

  it('repairs by republishing OrderPlaced for inventory', () => {
    const r = rule('stuck-at-inventory');
    expect(r.repair.kind === 'auto' && r.repair.command.plan(placed(null))).toEqual([
      { type: 'RepublishEventsRequested', payload: { eventTypes: ['OrderPlaced'], targetService: 'inventory-service' } },
    ]);
  });
});

describe('stuck-at-payment', () => {
  const reserved = (payment: ReturnType<typeof paymentRecord> | null) =>
    orderView('o-1', { order: orderRecord('o-1'), inventory: inventoryRecord('o-1', { reservedAt: at(1) }), payment });

  it('is violated 5 minutes after the reservation when payment has no decision', () => {
    expect(name('stuck-at-payment', reserved(null), 5)).toBe('within-grace');
    expect(outcome('stuck-at-payment', reserved(null), 6)).toMatchObject({ outcome: 'violated', since: date(1) });
    expect(name('stuck-at-payment', reserved(paymentRecord('o-1', { status: 'PENDING' })), 60)).toBe('violated');
  });

  it('holds when payment authorized, declined or recorded the cancellation first', () => {
    expect(name('stuck-at-payment', reserved(paymentRecord('o-1', { authorizedAt: at(2) })), 60)).toBe('holds');
    expect(name('stuck-at-payment', reserved(paymentRecord('o-1', { declinedAt: at(2) })), 60)).toBe('holds');
    expect(name('stuck-at-payment', reserved(paymentRecord('o-1', { status: 'CANCELLED_BEFORE_AUTHORIZATION' })), 60)).toBe('holds');
  });

  it('holds when nothing was reserved', () => {
    const view = orderView('o-1', { order: orderRecord('o-1'), inventory: inventoryRecord('o-1', { rejectedAt: at(1) }) });
    expect(name('stuck-at-payment', view, 60)).toBe('holds');
  });

  it('repairs by republishing both facts payment decides on (a payment service that lost events may lack either)', () => {
    const r = rule('stuck-at-payment');
    expect(r.repair.kind === 'auto' && r.repair.command.plan(reserved(null))).toEqual([
      { type: 'RepublishEventsRequested', payload: { eventTypes: ['OrderPlaced', 'InventoryReserved'], targetService: 'payment-service' } },
    ]);
  });
});

describe('stuck-at-shipment', () => {
  const authorized = (shipment: ReturnType<typeof shipmentRecord> | null, payment = paymentRecord('o-1', { authorizedAt: at(2) })) =>
    orderView('o-1', { order: orderRecord('o-1', { confirmedAt: at(2) }), inventory: inventoryRecord('o-1'), payment, shipment });

  it('is violated 5 minutes after the authorization when no shipment was created', () => {
    expect(name('stuck-at-shipment', authorized(null), 6)).toBe('within-grace');
    expect(outcome('stuck-at-shipment', authorized(null), 7)).toMatchObject({ outcome: 'violated', since: date(2), details: { shipment: 'no record' } });
    expect(name('stuck-at-shipment', authorized(shipmentRecord('o-1', [])), 60)).toBe('violated');
  });

  it('holds once a shipment exists, or shipment cancelled before creating any', () => {
    expect(name('stuck-at-shipment', authorized(shipmentRecord('o-1', [{ createdAt: at(3) }])), 60)).toBe('holds');
    expect(name('stuck-at-shipment', authorized(shipmentRecord('o-1', [], { cancelledBeforeCreationAt: at(3) })), 60)).toBe('holds');
  });

  it('holds when the authorization was voided (nothing left to ship for)', () => {
    expect(name('stuck-at-shipment', authorized(null, paymentRecord('o-1', { authorizedAt: at(2), voidedAt: at(4) })), 60)).toBe('holds');
  });

  it('repairs by republishing the three facts shipment needs (a shipment service that lost events may lack any)', () => {
    const r = rule('stuck-at-shipment');
    expect(r.repair.kind === 'auto' && r.repair.command.plan(authorized(null))).toEqual([
      {
        type: 'RepublishEventsRequested',
        payload: { eventTypes: ['OrderPlaced', 'InventoryReserved', 'PaymentAuthorized'], targetService: 'shipment-service' },
      },
    ]);
  });
});

describe('dispatched-not-captured', () => {
  const twoShipments = shipmentRecord('o-1', [
    { id: 'shp-a', createdAt: at(3), dispatchedAt: at(10), valueMinor: 2000 },
    { id: 'shp-b', createdAt: at(3), dispatchedAt: at(20), valueMinor: 3000 },
  ]);
  const view = (captures: Array<{ shipmentId: string; at: string; amountMinor: number }>, extra: Parameters<typeof paymentRecord>[1] = {}) =>
    orderView('o-1', { order: orderRecord('o-1'), payment: paymentRecord('o-1', { authorizedAt: at(2), captures, ...extra }), shipment: twoShipments });

  it('holds when every dispatched shipment is captured', () => {
    const captured = view([
      { shipmentId: 'shp-a', at: at(11), amountMinor: 2000 },
      { shipmentId: 'shp-b', at: at(21), amountMinor: 3000 },
    ]);
    expect(name('dispatched-not-captured', captured, 120)).toBe('holds');
  });

  it('is violated 10 minutes after the first uncaptured dispatch, naming each uncaptured shipment', () => {
    const partly = view([{ shipmentId: 'shp-a', at: at(11), amountMinor: 2000 }]);
    expect(name('dispatched-not-captured', partly, 29)).toBe('within-grace');
    expect(outcome('dispatched-not-captured', partly, 30)).toMatchObject({
      outcome: 'violated',
      since: date(20),
      details: { uncaptured: [{ shipmentId: 'shp-b', valueMinor: 3000 }] },
    });
    const r = rule('dispatched-not-captured');
    expect(r.repair.kind === 'auto' && r.repair.command.plan(view([]))).toEqual([
      { type: 'CapturePaymentRequested', payload: { shipmentId: 'shp-a' } },
      { type: 'CapturePaymentRequested', payload: { shipmentId: 'shp-b' } },
    ]);
  });

  it('holds when the authorization was voided (a capture cannot succeed; a person sees cancelled-but-dispatched)', () => {
    expect(name('dispatched-not-captured', view([], { voidedAt: at(5) }), 120)).toBe('holds');
  });
});

describe('declined-still-reserved', () => {
  const declined = (inventory: ReturnType<typeof inventoryRecord>) =>
    orderView('o-1', { order: orderRecord('o-1', { rejectedAt: at(2) }), inventory, payment: paymentRecord('o-1', { declinedAt: at(2) }) });

  it('is violated 5 minutes after the decline while units are still held', () => {
    const held = declined(inventoryRecord('o-1', { reservedAt: at(1) }));
    expect(name('declined-still-reserved', held, 6)).toBe('within-grace');
    expect(outcome('declined-still-reserved', held, 7)).toMatchObject({ outcome: 'violated', since: date(2), details: { reservationId: 'res-o-1' } });
  });

  it('holds once released', () => {
    expect(name('declined-still-reserved', declined(inventoryRecord('o-1', { reservedAt: at(1), releasedAt: at(3) })), 60)).toBe('holds');
  });

  it('repairs by asking inventory to release that reservation', () => {
    const r = rule('declined-still-reserved');
    expect(r.repair.kind === 'auto' && r.repair.command.plan(declined(inventoryRecord('o-1')))).toEqual([
      { type: 'ReleaseReservationRequested', payload: { reservationId: 'res-o-1' } },
    ]);
  });
});

describe('cancelled-still-reserved', () => {
  const cancelled = (inventory: ReturnType<typeof inventoryRecord>) =>
    orderView('o-1', { order: orderRecord('o-1', { confirmedAt: at(2), cancellationRequestedAt: at(5) }), inventory });

  it('is violated 5 minutes after the cancellation request while units are still held', () => {
    const held = cancelled(inventoryRecord('o-1', { reservedAt: at(1) }));
    expect(name('cancelled-still-reserved', held, 9)).toBe('within-grace');
    expect(outcome('cancelled-still-reserved', held, 10)).toMatchObject({ outcome: 'violated', since: date(5) });
  });

  it('holds once released, or when everything was committed (dispatched before the cancellation)', () => {
    expect(name('cancelled-still-reserved', cancelled(inventoryRecord('o-1', { releasedAt: at(6) })), 60)).toBe('holds');
    expect(name('cancelled-still-reserved', cancelled(inventoryRecord('o-1', { commits: [{ shipmentId: 'shp-1', at: at(4) }] })), 60)).toBe('holds');
  });

  it('holds for an order never cancelled', () => {
    expect(name('cancelled-still-reserved', orderView('o-1', { order: orderRecord('o-1'), inventory: inventoryRecord('o-1') }), 60)).toBe('holds');
  });
});

describe('cancelled-still-charged', () => {
  const cancelled = (payment: ReturnType<typeof paymentRecord>) =>
    orderView('o-1', { order: orderRecord('o-1', { confirmedAt: at(2), cancellationRequestedAt: at(5) }), payment });

  it('is violated 10 minutes after the cancellation while money is authorized, and plans a void', () => {
    const authorized = cancelled(paymentRecord('o-1', { authorizedAt: at(2) }));
    expect(name('cancelled-still-charged', authorized, 14)).toBe('within-grace');
    expect(outcome('cancelled-still-charged', authorized, 15)).toMatchObject({ outcome: 'violated', details: { stillAuthorizedMinor: 5000 } });
    const r = rule('cancelled-still-charged');
    expect(r.repair.kind === 'auto' && r.repair.command.plan(authorized)).toEqual([{ type: 'VoidPaymentRequested', payload: { paymentId: 'pay-o-1' } }]);
  });

  it('plans a refund of what was captured and a void of the rest', () => {
    const partly = cancelled(paymentRecord('o-1', { authorizedAt: at(2), captures: [{ shipmentId: 'shp-1', at: at(4), amountMinor: 2000 }] }));
    expect(outcome('cancelled-still-charged', partly, 60)).toMatchObject({ details: { stillAuthorizedMinor: 3000, capturedNotRefundedMinor: 2000 } });
    const r = rule('cancelled-still-charged');
    expect(r.repair.kind === 'auto' && r.repair.command.plan(partly).map((c) => c.type)).toEqual(['VoidPaymentRequested', 'RefundPaymentRequested']);
  });

  it('holds once voided, or refunded in full', () => {
    expect(name('cancelled-still-charged', cancelled(paymentRecord('o-1', { authorizedAt: at(2), voidedAt: at(6) })), 60)).toBe('holds');
    const refunded = paymentRecord('o-1', {
      authorizedAt: at(2),
      captures: [{ shipmentId: 'shp-1', at: at(4), amountMinor: 5000 }],
      refunds: [{ at: at(6), amountMinor: 5000 }],
    });
    expect(name('cancelled-still-charged', cancelled(refunded), 60)).toBe('holds');
  });

  it('holds when payment never authorized', () => {
    expect(name('cancelled-still-charged', cancelled(paymentRecord('o-1', { status: 'CANCELLED_BEFORE_AUTHORIZATION' })), 60)).toBe('holds');
  });
});

describe('cancelled-but-dispatched', () => {
  const view = (shipment: ReturnType<typeof shipmentRecord>) =>
    orderView('o-1', { order: orderRecord('o-1', { confirmedAt: at(2), cancellationRequestedAt: at(12) }), shipment });

  it('is violated at once (no grace) when a shipment was dispatched, and needs a person', () => {
    const dispatched = view(shipmentRecord('o-1', [{ createdAt: at(3), dispatchedAt: at(10) }]));
    expect(outcome('cancelled-but-dispatched', dispatched, 12)).toMatchObject({ outcome: 'violated', since: date(12) });
    expect(rule('cancelled-but-dispatched').repair.kind).toBe('manual');
  });

  it('holds when every shipment was cancelled', () => {
    expect(name('cancelled-but-dispatched', view(shipmentRecord('o-1', [{ createdAt: at(3), cancelledAt: at(13) }])), 60)).toBe('holds');
  });

  it('is within grace before the grace passes when configured', () => {
    const r = { ...rule('cancelled-but-dispatched'), graceMs: 60_000 };
    const dispatched = view(shipmentRecord('o-1', [{ createdAt: at(3), dispatchedAt: at(10) }]));
    expect(judge(r, dispatched, date(12.5))).toMatchObject({ outcome: 'within-grace', dueAt: date(13) });
  });
});

describe('amount-mismatch', () => {
  const view = (captures: Array<{ shipmentId: string; at: string; amountMinor: number }>, refunds: Array<{ at: string; amountMinor: number }> = []) =>
    orderView('o-1', {
      order: orderRecord('o-1', { confirmedAt: at(2), shippedAt: at(10) }),
      payment: paymentRecord('o-1', { authorizedAt: at(2), captures, refunds }),
      shipment: shipmentRecord('o-1', [{ createdAt: at(3), dispatchedAt: at(10), valueMinor: 5000 }]),
    });

  it('holds when captured minus refunded equals the dispatched value', () => {
    expect(name('amount-mismatch', view([{ shipmentId: 'shp-1', at: at(11), amountMinor: 5000 }]), 60)).toBe('holds');
  });

  it('is violated 10 minutes after the last movement when they differ, and needs a person', () => {
    const under = view([{ shipmentId: 'shp-1', at: at(11), amountMinor: 4000 }]);
    expect(name('amount-mismatch', under, 20)).toBe('within-grace');
    expect(outcome('amount-mismatch', under, 21)).toMatchObject({
      outcome: 'violated',
      since: date(11),
      details: { netCapturedMinor: 4000, dispatchedValueMinor: 5000, differenceMinor: -1000 },
    });
    expect(rule('amount-mismatch').repair.kind).toBe('manual');
  });

  it('counts refunds', () => {
    expect(name('amount-mismatch', view([{ shipmentId: 'shp-1', at: at(11), amountMinor: 5000 }], [{ at: at(12), amountMinor: 500 }]), 60)).toBe('violated');
  });

  it('leaves a dispatch without its capture to dispatched-not-captured (one divergence, one case)', () => {
    expect(name('amount-mismatch', view([]), 60)).toBe('holds');
    expect(name('dispatched-not-captured', view([]), 60)).toBe('violated');
  });

  it('leaves cancelled orders to the cancellation rules', () => {
    const cancelled = withAnswers(view([]), { order: orderRecord('o-1', { confirmedAt: at(2), cancellationRequestedAt: at(12) }) });
    expect(name('amount-mismatch', cancelled, 60)).toBe('holds');
  });
});

describe('status-contradiction', () => {
  it('is violated 5 minutes after payment declined while the order is CONFIRMED, and republishes PaymentDeclined to the order', () => {
    const view = withAnswers(declinedOrder('o-1'), { order: orderRecord('o-1', { confirmedAt: at(2) }) });
    expect(name('status-contradiction', view, 6)).toBe('within-grace');
    expect(outcome('status-contradiction', view, 7)).toMatchObject({
      outcome: 'violated',
      since: date(2),
      details: { orderStatus: 'CONFIRMED', contradictions: [{ expected: 'REJECTED', decidingEvent: 'PaymentDeclined' }] },
    });
    const r = rule('status-contradiction');
    expect(r.repair.kind === 'auto' && r.repair.command.plan(view)).toEqual([
      { type: 'RepublishEventsRequested', payload: { eventTypes: ['PaymentDeclined'], targetService: 'order-service' } },
    ]);
  });

  it('finds an order still PLACED after the authorization, and one still CONFIRMED after every shipment was delivered', () => {
    const placed = withAnswers(deliveredOrder('o-1'), { order: orderRecord('o-1', { placedAt: at(0) }) });
    expect(outcome('status-contradiction', placed, 60)).toMatchObject({
      outcome: 'violated',
      details: { contradictions: [{ decidingEvent: 'PaymentAuthorized' }, { decidingEvent: 'ShipmentDispatched' }, { decidingEvent: 'ShipmentDelivered' }] },
    });
    const confirmed = withAnswers(deliveredOrder('o-1'), { order: orderRecord('o-1', { confirmedAt: at(2) }) });
    expect(outcome('status-contradiction', confirmed, 60)).toMatchObject({
      details: { contradictions: [{ expected: 'SHIPPED' }, { expected: 'DELIVERED' }] },
    });
  });

  it('holds while only part of the shipments are dispatched', () => {
    const view = orderView('o-1', {
      order: orderRecord('o-1', { confirmedAt: at(2) }),
      inventory: inventoryRecord('o-1'),
      payment: paymentRecord('o-1', { authorizedAt: at(2) }),
      shipment: shipmentRecord('o-1', [{ createdAt: at(3), dispatchedAt: at(10) }, { createdAt: at(3) }]),
    });
    expect(name('status-contradiction', view, 60)).toBe('holds');
  });
});

describe('missing-notification', () => {
  it('is violated 15 minutes after a notifiable milestone without its notification, per missing kind', () => {
    const view = withAnswers(deliveredOrder('o-1'), { notification: notificationRecord('o-1', { confirmed: at(2) }) });
    expect(name('missing-notification', view, 24)).toBe('within-grace');
    expect(outcome('missing-notification', view, 25)).toMatchObject({
      outcome: 'violated',
      since: date(10),
      details: { missing: [{ kind: 'dispatched' }, { kind: 'delivered' }] },
    });
    const r = rule('missing-notification');
    expect(r.repair.kind === 'auto' && r.repair.command.plan(view)).toEqual([
      { type: 'ResendNotificationRequested', payload: { kind: 'dispatched' } },
      { type: 'ResendNotificationRequested', payload: { kind: 'delivered' } },
    ]);
  });

  it('counts a notification service without a record as nothing sent', () => {
    expect(outcome('missing-notification', withAnswers(rejectedOrder('o-1'), { notification: null }), 60)).toMatchObject({
      details: { missing: [{ kind: 'rejected' }] },
    });
  });

  it('does not count a FAILED notification as sent', () => {
    const failed = withAnswers(rejectedOrder('o-1'), { notification: notificationRecord('o-1', {}, ['rejected']) });
    expect(name('missing-notification', failed, 60)).toBe('violated');
  });

  it('reads other ways of saying a kind was sent, the facts winning', () => {
    const sentAs = (milestone: { name: string; detail?: Record<string, unknown>; ref?: string }, facts: Record<string, boolean> = {}) =>
      withAnswers(rejectedOrder('o-1'), { notification: { orderId: 'o-1', status: 'X', updatedAt: at(1), milestones: [{ at: at(1), ...milestone }], facts } });
    expect(name('missing-notification', sentAs({ name: 'REJECTED' }), 60)).toBe('holds');
    expect(name('missing-notification', sentAs({ name: 'SENT', detail: { kind: 'rejected' } }), 60)).toBe('holds');
    expect(name('missing-notification', sentAs({ name: 'SENT', detail: { kind: 'rejected', status: 'FAILED' } }), 60)).toBe('violated');
    expect(name('missing-notification', sentAs({ name: 'REJECTED_SENT' }, { rejected: false }), 60)).toBe('violated');
    expect(name('missing-notification', sentAs({ name: 'OTHER' }, { rejected: true }), 60)).toBe('holds');
  });

  it('does not expect "cancelled" once the customer was told the order is on its way', () => {
    const view = withAnswers(cancelledOrder('o-1'), { notification: notificationRecord('o-1', { confirmed: at(2), dispatched: at(4) }) });
    expect(name('missing-notification', view, 60)).toBe('holds');
  });

  it('holds for an order that has only been placed', () => {
    expect(name('missing-notification', orderView('o-1', { order: orderRecord('o-1') }), 60)).toBe('holds');
  });
});

describe('orphan-record', () => {
  it('is violated 10 minutes after another service recorded an order the order service does not know', () => {
    const view = withAnswers(deliveredOrder('o-1'), { order: null });
    expect(name('orphan-record', view, 5)).toBe('within-grace');
    expect(outcome('orphan-record', view, 60)).toMatchObject({
      outcome: 'violated',
      since: date(1),
      details: { heldBy: [{ service: 'inventory' }, { service: 'payment' }, { service: 'shipment' }, { service: 'notification' }] },
    });
    expect(rule('orphan-record').repair.kind).toBe('manual');
  });

  it('holds when nobody knows the order', () => {
    expect(name('orphan-record', orderView('o-1', {}), 60)).toBe('holds');
  });
});

describe('the integration scenarios (test/support/scenarios.ts)', () => {
  it('break exactly their own rule, each', () => {
    for (const [ruleId, view] of Object.entries(oneDivergencePerRule())) {
      const violated = RULES.filter((r) => judge(r, view, date(24 * 60)).outcome === 'violated').map((r) => r.id);
      expect({ ruleId, violated }).toEqual({ ruleId, violated: [ruleId] });
    }
  });

  it('leave the consistent orders alone', () => {
    for (const view of consistentOrders(8)) {
      expect(RULES.map((r) => judge(r, view, date(24 * 60)).outcome).filter((o) => o !== 'holds')).toEqual([]);
    }
  });
});
