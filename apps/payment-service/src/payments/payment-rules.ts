/**
 * The payment of one order, as pure rules: when to authorize, what a capture, a cancellation,
 * a void or a refund may move, and which status follows. No Nest, no database.
 *
 *   PENDING → AUTHORIZED → PARTIALLY_CAPTURED → CAPTURED → REFUNDED
 *   PENDING → DECLINED;  PENDING → CANCELLED_BEFORE_AUTHORIZATION;  AUTHORIZED → VOIDED
 */

export const PAYMENT_STATUSES = [
  'PENDING',
  'AUTHORIZED',
  'PARTIALLY_CAPTURED',
  'CAPTURED',
  'VOIDED',
  'REFUNDED',
  'DECLINED',
  'CANCELLED_BEFORE_AUTHORIZATION',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface PaymentState {
  status: PaymentStatus;
  /** From OrderPlaced. */
  paymentToken: string | null;
  /** From InventoryReserved: what to authorize. */
  amountToAuthorizeMinor: number | null;
  cancellationRequested: boolean;
  authorizedMinor: number;
  capturedMinor: number;
  refundedMinor: number;
  voidedMinor: number;
}

export type Decision<T> = ({ apply: true } & T) | { apply: false; why: string };

/**
 * Authorization waits for both halves: the token (OrderPlaced, order topic) and the amount
 * (InventoryReserved, inventory topic), which may arrive in either order. A cancellation
 * recorded first means never.
 */
export function isReadyToAuthorize(payment: PaymentState): boolean {
  return (
    payment.status === 'PENDING' &&
    !payment.cancellationRequested &&
    payment.paymentToken !== null &&
    payment.amountToAuthorizeMinor !== null
  );
}

/** Authorized money neither captured nor voided. */
export function openAuthorization(payment: PaymentState): number {
  return payment.authorizedMinor - payment.capturedMinor - payment.voidedMinor;
}

/** Captured money not refunded. */
export function refundable(payment: PaymentState): number {
  return payment.capturedMinor - payment.refundedMinor;
}

/**
 * Captures the value of one dispatched shipment, at most what is still authorized. A shipment
 * captured before captures nothing.
 */
export function planCapture(payment: PaymentState, valueMinor: number, alreadyCaptured: boolean): Decision<{ amountMinor: number }> {
  if (alreadyCaptured) return { apply: false, why: 'shipment already captured' };
  if (payment.authorizedMinor === 0) return { apply: false, why: `payment is ${payment.status}, nothing authorized` };
  const amountMinor = Math.min(valueMinor, openAuthorization(payment));
  if (amountMinor <= 0) return { apply: false, why: `nothing left to capture (payment is ${payment.status})` };
  return { apply: true, amountMinor };
}

export type CancellationPlan =
  | { apply: true; kind: 'before-authorization' }
  | { apply: true; kind: 'compensate'; refundMinor: number; voidMinor: number }
  | { apply: false; why: string };

/**
 * The customer cancelled: before authorization, record it so authorization never happens;
 * after, refund what was captured and void the rest of the hold.
 */
export function planCancellation(payment: PaymentState): CancellationPlan {
  if (payment.cancellationRequested) return { apply: false, why: 'cancellation already handled' };
  if (payment.status === 'PENDING') return { apply: true, kind: 'before-authorization' };
  if (payment.authorizedMinor === 0) return { apply: false, why: `payment is ${payment.status}` };
  const refundMinor = refundable(payment);
  const voidMinor = openAuthorization(payment);
  if (refundMinor === 0 && voidMinor === 0) return { apply: false, why: 'nothing captured or held' };
  return { apply: true, kind: 'compensate', refundMinor, voidMinor };
}

/** Repair: void what is still held. */
export function planVoid(payment: PaymentState): Decision<{ voidMinor: number }> {
  const voidMinor = openAuthorization(payment);
  if (payment.authorizedMinor === 0 || voidMinor <= 0) return { apply: false, why: `nothing held (payment is ${payment.status})` };
  return { apply: true, voidMinor };
}

/** Repair: refund `requestedMinor` (default: everything captured and not refunded), never more. */
export function planRefund(payment: PaymentState, requestedMinor?: number): Decision<{ refundMinor: number }> {
  const refundMinor = Math.min(requestedMinor ?? Number.MAX_SAFE_INTEGER, refundable(payment));
  if (refundMinor <= 0) return { apply: false, why: `nothing captured to refund (payment is ${payment.status})` };
  return { apply: true, refundMinor };
}

/**
 * The status of an authorized payment from its figures: any refund → REFUNDED; nothing
 * captured → VOIDED once voided, else AUTHORIZED; everything still authorized captured →
 * CAPTURED (a voided remainder is not waiting for capture), else PARTIALLY_CAPTURED.
 */
export function settledStatus(figures: Pick<PaymentState, 'authorizedMinor' | 'capturedMinor' | 'refundedMinor' | 'voidedMinor'>): PaymentStatus {
  if (figures.refundedMinor > 0) return 'REFUNDED';
  if (figures.capturedMinor === 0) return figures.voidedMinor > 0 ? 'VOIDED' : 'AUTHORIZED';
  return figures.capturedMinor + figures.voidedMinor >= figures.authorizedMinor ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
}

/** A gateway call decided but not yet applied: what it will move. */
export interface CallInFlight {
  kind: 'capture' | 'refund' | 'void' | 'release';
  amountMinor: number;
}

/**
 * The figures as they will be once the calls in flight land, so a capture decided meanwhile
 * takes only what they leave open. A release moves none: its hold was never recorded.
 */
export function withCallsInFlight(payment: PaymentState, calls: readonly CallInFlight[]): PaymentState {
  const sum = (kind: CallInFlight['kind']) => calls.filter((call) => call.kind === kind).reduce((total, call) => total + call.amountMinor, 0);
  return {
    ...payment,
    capturedMinor: payment.capturedMinor + sum('capture'),
    refundedMinor: payment.refundedMinor + sum('refund'),
    voidedMinor: payment.voidedMinor + sum('void'),
  };
}
