import {
  everyShipmentDelivered,
  KIND_OF_EVENT,
  type NotificationRecord,
  notificationFacts,
  notificationMilestones,
  notificationStatus,
  shouldAnnounceCancellation,
} from './notification-rules';

function record(kind: NotificationRecord['kind'], status: NotificationRecord['status'], minute: number): NotificationRecord {
  const at = new Date(Date.UTC(2025, 0, 15, 10, minute)).toISOString();
  return { notificationId: `ntf_${kind}`, kind, status, channel: 'email', attempts: 1, createdAt: at, sentAt: status === 'SENT' ? at : null, updatedAt: at };
}

describe('KIND_OF_EVENT', () => {
  it('maps both a stock rejection and a payment decline to the one "rejected" notification', () => {
    expect(KIND_OF_EVENT.InventoryRejected).toBe('rejected');
    expect(KIND_OF_EVENT.PaymentDeclined).toBe('rejected');
    expect(KIND_OF_EVENT.PaymentAuthorized).toBe('confirmed');
  });
});

describe('shouldAnnounceCancellation', () => {
  it('announces a cancellation before anything was dispatched', () => {
    expect(shouldAnnounceCancellation([])).toBe(true);
    expect(shouldAnnounceCancellation(['confirmed'])).toBe(true);
  });

  it('stays silent once the customer was told the order is on its way', () => {
    expect(shouldAnnounceCancellation(['confirmed', 'dispatched'])).toBe(false);
  });
});

describe('everyShipmentDelivered', () => {
  it('is false while no shipment is known', () => {
    expect(everyShipmentDelivered([])).toBe(false);
  });

  it('waits for every created shipment', () => {
    expect(
      everyShipmentDelivered([
        { shipmentId: 's1', delivered: true, cancelled: false },
        { shipmentId: 's2', delivered: false, cancelled: false },
      ]),
    ).toBe(false);
  });

  it('does not wait for a cancelled shipment', () => {
    expect(
      everyShipmentDelivered([
        { shipmentId: 's1', delivered: true, cancelled: false },
        { shipmentId: 's2', delivered: false, cancelled: true },
      ]),
    ).toBe(true);
  });

  it('is false when every shipment was cancelled', () => {
    expect(everyShipmentDelivered([{ shipmentId: 's1', delivered: false, cancelled: true }])).toBe(false);
  });
});

describe('notificationStatus', () => {
  it('is NONE before anything was sent', () => {
    expect(notificationStatus([])).toBe('NONE');
    expect(notificationStatus([record('confirmed', 'FAILED', 1)])).toBe('NONE');
  });

  it('is the kind sent last, upper-case, ignoring failures', () => {
    expect(notificationStatus([record('dispatched', 'SENT', 2), record('confirmed', 'SENT', 1), record('delivered', 'FAILED', 3)])).toBe('DISPATCHED');
  });
});

describe('notificationMilestones', () => {
  it('gives one milestone per notification, named after its kind and status, oldest first', () => {
    expect(notificationMilestones([record('dispatched', 'SENT', 2), record('confirmed', 'SENT', 1), record('delivered', 'FAILED', 3)])).toEqual([
      { name: 'CONFIRMED_SENT', at: '2025-01-15T10:01:00.000Z', ref: 'ntf_confirmed', detail: { channel: 'email', attempts: 1 } },
      { name: 'DISPATCHED_SENT', at: '2025-01-15T10:02:00.000Z', ref: 'ntf_dispatched', detail: { channel: 'email', attempts: 1 } },
      { name: 'DELIVERED_FAILED', at: '2025-01-15T10:03:00.000Z', ref: 'ntf_delivered', detail: { channel: 'email', attempts: 1 } },
    ]);
  });
});

describe('notificationFacts', () => {
  it('says which kinds were sent', () => {
    expect(notificationFacts([record('confirmed', 'SENT', 1), record('delivered', 'FAILED', 2)])).toEqual({
      confirmed: true,
      rejected: false,
      dispatched: false,
      delivered: false,
      cancelled: false,
    });
  });
});
