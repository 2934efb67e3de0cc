import {
  isReadyToAuthorize,
  type PaymentState,
  planCancellation,
  planCapture,
  planRefund,
  planVoid,
  settledStatus,
  withCallsInFlight,
} from './payment-rules';

const pending: PaymentState = {
  status: 'PENDING',
  paymentToken: null,
  amountToAuthorizeMinor: null,
  cancellationRequested: false,
  authorizedMinor: 0,
  capturedMinor: 0,
  refundedMinor: 0,
  voidedMinor: 0,
};
const authorized: PaymentState = { ...pending, status: 'AUTHORIZED', paymentToken: 'tok_ok', amountToAuthorizeMinor: 5000, authorizedMinor: 5000 };

describe('isReadyToAuthorize', () => {
  it('waits for both the token (OrderPlaced) and the amount (InventoryReserved)', () => {
    expect(isReadyToAuthorize({ ...pending, paymentToken: 'tok_ok' })).toBe(false);
    expect(isReadyToAuthorize({ ...pending, amountToAuthorizeMinor: 5000 })).toBe(false);
    expect(isReadyToAuthorize({ ...pending, paymentToken: 'tok_ok', amountToAuthorizeMinor: 5000 })).toBe(true);
  });

  it('never authorizes once a cancellation is recorded, or twice', () => {
    const ready = { ...pending, paymentToken: 'tok_ok', amountToAuthorizeMinor: 5000 };
    expect(isReadyToAuthorize({ ...ready, cancellationRequested: true })).toBe(false);
    expect(isReadyToAuthorize({ ...ready, status: 'AUTHORIZED' })).toBe(false);
    expect(isReadyToAuthorize({ ...ready, status: 'DECLINED' })).toBe(false);
  });
});

describe('planCapture', () => {
  it("captures a shipment's value", () => {
    expect(planCapture(authorized, 2500, false)).toEqual({ apply: true, amountMinor: 2500 });
  });

  it('captures a shipment only once', () => {
    expect(planCapture({ ...authorized, capturedMinor: 2500 }, 2500, true)).toEqual({ apply: false, why: 'shipment already captured' });
  });

  it('never captures more than is still authorized', () => {
    expect(planCapture({ ...authorized, capturedMinor: 4000 }, 2500, false)).toEqual({ apply: true, amountMinor: 1000 });
    expect(planCapture({ ...authorized, status: 'VOIDED', voidedMinor: 5000 }, 2500, false)).toMatchObject({ apply: false });
  });

  it('captures nothing without an authorization', () => {
    expect(planCapture({ ...pending, status: 'DECLINED' }, 2500, false)).toEqual({ apply: false, why: 'payment is DECLINED, nothing authorized' });
  });
});

describe('planCancellation', () => {
  it('before authorization: records it so authorization never happens', () => {
    expect(planCancellation(pending)).toEqual({ apply: true, kind: 'before-authorization' });
  });

  it('with nothing captured: voids the whole authorization', () => {
    expect(planCancellation(authorized)).toEqual({ apply: true, kind: 'compensate', refundMinor: 0, voidMinor: 5000 });
  });

  it('after a partial capture: refunds the capture and voids the rest', () => {
    expect(planCancellation({ ...authorized, status: 'PARTIALLY_CAPTURED', capturedMinor: 2500 })).toEqual({
      apply: true,
      kind: 'compensate',
      refundMinor: 2500,
      voidMinor: 2500,
    });
  });

  it('after a full capture: refunds everything and voids nothing', () => {
    expect(planCancellation({ ...authorized, status: 'CAPTURED', capturedMinor: 5000 })).toEqual({
      apply: true,
      kind: 'compensate',
      refundMinor: 5000,
      voidMinor: 0,
    });
  });

  it('does nothing the second time, or for a declined payment', () => {
    expect(planCancellation({ ...authorized, cancellationRequested: true })).toMatchObject({ apply: false });
    expect(planCancellation({ ...pending, status: 'DECLINED' })).toEqual({ apply: false, why: 'payment is DECLINED' });
  });
});

describe('repairs', () => {
  it('void releases only what is still held', () => {
    expect(planVoid(authorized)).toEqual({ apply: true, voidMinor: 5000 });
    expect(planVoid({ ...authorized, capturedMinor: 3000 })).toEqual({ apply: true, voidMinor: 2000 });
    expect(planVoid({ ...authorized, voidedMinor: 5000 })).toMatchObject({ apply: false });
  });

  it('refund defaults to everything captured and not refunded, and never exceeds it', () => {
    const captured = { ...authorized, capturedMinor: 5000, refundedMinor: 1000 };
    expect(planRefund(captured)).toEqual({ apply: true, refundMinor: 4000 });
    expect(planRefund(captured, 1500)).toEqual({ apply: true, refundMinor: 1500 });
    expect(planRefund(captured, 9999)).toEqual({ apply: true, refundMinor: 4000 });
    expect(planRefund(authorized)).toMatchObject({ apply: false });
  });
});

describe('settledStatus', () => {
  const figures = { authorizedMinor: 5000, capturedMinor: 0, refundedMinor: 0, voidedMinor: 0 };
  it.each([
    [{}, 'AUTHORIZED'],
    [{ capturedMinor: 2500 }, 'PARTIALLY_CAPTURED'],
    [{ capturedMinor: 5000 }, 'CAPTURED'],
    [{ capturedMinor: 2500, voidedMinor: 2500 }, 'CAPTURED'],
    [{ voidedMinor: 5000 }, 'VOIDED'],
    [{ capturedMinor: 2500, refundedMinor: 2500, voidedMinor: 2500 }, 'REFUNDED'],
  ])('%o → %s', (change, status) => {
    expect(settledStatus({ ...figures, ...change })).toBe(status);
  });
});

describe('withCallsInFlight', () => {
  it('counts a capture in flight as captured, so a second shipment takes only what is left open', () => {
    const state = withCallsInFlight(authorized, [{ kind: 'capture', amountMinor: 3000 }]);
    expect(state.capturedMinor).toBe(3000);
    expect(planCapture(state, 2500, false)).toEqual({ apply: true, amountMinor: 2000 });
  });

  it('counts voids and refunds in flight, and moves nothing for a release', () => {
    const state = withCallsInFlight({ ...authorized, capturedMinor: 2000 }, [
      { kind: 'refund', amountMinor: 500 },
      { kind: 'void', amountMinor: 3000 },
      { kind: 'release', amountMinor: 5000 },
    ]);
    expect(state).toMatchObject({ authorizedMinor: 5000, capturedMinor: 2000, refundedMinor: 500, voidedMinor: 3000 });
    expect(planCapture(state, 2500, false)).toEqual({ apply: false, why: 'nothing left to capture (payment is AUTHORIZED)' });
  });
});
