import { type CompactTime, NOTIFICATION_KINDS, type NotificationKind, type ParsedMilestone as Milestone, type ParsedOrderMilestones as OrderMilestones } from '@commerce/contracts';
import { isoMillis, type Ms } from './iso-time';
import type { OrderView, ServiceAnswer } from './order-view';

/**
 * Reads each service's milestones in its own words (docs/events.md: the services do not share a
 * vocabulary) and turns them into the few facts the rules compare. This is the only file that
 * knows the services' status words, milestone names and `facts` keys; where a service exposes a
 * figure in `facts`, that wins over what the milestones add up to.
 *
 * Plain functions over plain data, computed once per view and shared by the rules. Times are
 * epoch milliseconds (a full scan reads millions of milestones: no Date objects on the way); a
 * compact page gives most of them so already, the rest are ISO text read by `isoMillis`.
 */

export type { Ms };

const timeOf = (at: CompactTime): Ms => (typeof at === 'number' ? at : isoMillis(at));
const ms = (at: CompactTime | undefined | null): Ms | null => (at === undefined || at === null || at === '' ? null : timeOf(at));
const numberFact = (record: OrderMilestones, key: string): number | null => {
  const value = record.facts[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};
const stringFact = (record: OrderMilestones, key: string): string | null => {
  const value = record.facts[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
};

/** The first milestone of each name (one pass). */
function firstByName(record: OrderMilestones): Map<string, Milestone> {
  const first = new Map<string, Milestone>();
  for (const m of record.milestones) if (!first.has(m.name)) first.set(m.name, m);
  return first;
}

// -- order-service: PLACED → CONFIRMED → SHIPPED → DELIVERED; REJECTED; CANCELLED ---------------

export interface OrderFacts {
  status: string;
  placedAt: Ms;
  /** When the customer asked to cancel; null if never. */
  cancellationRequestedAt: Ms | null;
  /** Time of each order milestone by name (first occurrence). */
  milestoneAt(name: string): Ms | null;
}

export function orderFacts(record: OrderMilestones): OrderFacts {
  const first = firstByName(record);
  const updatedAt = timeOf(record.updatedAt);
  const requested = first.get('CANCELLATION_REQUESTED');
  const cancellationRequested = record.facts['cancellationRequested'] === true || record.status === 'CANCELLED';
  return {
    status: record.status,
    placedAt: ms(first.get('PLACED')?.at) ?? updatedAt,
    cancellationRequestedAt: ms(requested?.at) ?? (cancellationRequested ? updatedAt : null),
    milestoneAt: (name) => ms(first.get(name)?.at),
  };
}

// -- inventory-service: RESERVED → (PARTIALLY_)COMMITTED; RESERVED → RELEASED; REJECTED ---------

const HOLDING_RESERVATION = new Set(['RESERVED', 'PARTIALLY_COMMITTED']);

export interface InventoryFacts {
  status: string;
  /** RESERVED or REJECTED happened: inventory decided. */
  decided: boolean;
  reservedAt: Ms | null;
  rejected: boolean;
  rejectedAt: Ms | null;
  /** Units are still held for the order. */
  holding: boolean;
  reservationId: string | null;
}

export function inventoryFacts(record: OrderMilestones): InventoryFacts {
  let reserved: Milestone | undefined;
  let rejectedMilestone: Milestone | undefined;
  for (const m of record.milestones) {
    if (m.name === 'RESERVED') reserved ??= m;
    else if (m.name === 'REJECTED') rejectedMilestone ??= m;
  }
  const held = numberFact(record, 'reservedUnits');
  const rejected = record.status === 'REJECTED' || rejectedMilestone !== undefined;
  return {
    status: record.status,
    decided: reserved !== undefined || rejected || record.status !== 'PENDING',
    reservedAt: ms(reserved?.at),
    rejected,
    rejectedAt: ms(rejectedMilestone?.at) ?? (rejected ? timeOf(record.updatedAt) : null),
    holding: held !== null ? held > 0 : HOLDING_RESERVATION.has(record.status),
    reservationId: stringFact(record, 'reservationId') ?? reserved?.ref ?? null,
  };
}

// -- payment-service: AUTHORIZED → (PARTIALLY_)CAPTURED → REFUNDED; VOIDED; DECLINED ------------

/** Payment statuses that are not a decision yet (authorization still to come). */
const UNDECIDED_PAYMENT = new Set(['PENDING']);

export interface PaymentFacts {
  status: string;
  decided: boolean;
  authorizedAt: Ms | null;
  declined: boolean;
  declinedAt: Ms | null;
  voided: boolean;
  paymentId: string | null;
  /** Captured time by shipmentId. */
  captures: Map<string, Ms>;
  authorizedMinor: number;
  capturedMinor: number;
  refundedMinor: number;
  voidedMinor: number;
  /** Authorized, neither captured nor voided. */
  openAuthorizationMinor: number;
  /** Captured, not refunded. */
  refundableMinor: number;
  currency: string | null;
  /** The latest money movement (capture, refund, void), for the grace of amount checks. */
  lastMovementAt: Ms | null;
}

export function paymentFacts(record: OrderMilestones): PaymentFacts {
  let authorized: Milestone | undefined;
  let declined: Milestone | undefined;
  let captured = 0;
  let refunded = 0;
  let voided = 0;
  let voidedSeen = false;
  let lastMovementAt: Ms | null = null;
  const captures = new Map<string, Ms>();
  for (const m of record.milestones) {
    switch (m.name) {
      case 'AUTHORIZED':
        authorized ??= m;
        continue;
      case 'DECLINED':
        declined ??= m;
        continue;
      case 'CAPTURED': {
        captured += m.amountMinor ?? 0;
        const shipmentId = m.ref ?? (typeof m.detail?.['shipmentId'] === 'string' ? m.detail['shipmentId'] : null);
        if (shipmentId) captures.set(shipmentId, timeOf(m.at));
        break;
      }
      case 'REFUNDED':
        refunded += m.amountMinor ?? 0;
        break;
      case 'VOIDED':
        voided += m.amountMinor ?? 0;
        voidedSeen = true;
        break;
      default:
        continue;
    }
    const at = timeOf(m.at);
    if (lastMovementAt === null || at > lastMovementAt) lastMovementAt = at;
  }
  const authorizedMinor = numberFact(record, 'authorizedMinor') ?? authorized?.amountMinor ?? 0;
  const capturedMinor = numberFact(record, 'capturedMinor') ?? captured;
  const refundedMinor = numberFact(record, 'refundedMinor') ?? refunded;
  const voidedMinor = numberFact(record, 'voidedMinor') ?? voided;
  return {
    status: record.status,
    decided: !UNDECIDED_PAYMENT.has(record.status),
    authorizedAt: ms(authorized?.at),
    declined: record.status === 'DECLINED' || declined !== undefined,
    declinedAt: ms(declined?.at) ?? (record.status === 'DECLINED' ? timeOf(record.updatedAt) : null),
    voided: record.status === 'VOIDED' || voidedSeen,
    paymentId: stringFact(record, 'paymentId') ?? authorized?.ref ?? declined?.ref ?? null,
    captures,
    authorizedMinor,
    capturedMinor,
    refundedMinor,
    voidedMinor,
    openAuthorizationMinor: Math.max(0, authorizedMinor - capturedMinor - voidedMinor),
    refundableMinor: Math.max(0, capturedMinor - refundedMinor),
    currency: stringFact(record, 'currency') ?? authorized?.currency ?? null,
    lastMovementAt,
  };
}

// -- shipment-service: per shipment CREATED → DISPATCHED → DELIVERED; CREATED → CANCELLED -------

export interface ShipmentRecord {
  shipmentId: string;
  createdAt: Ms | null;
  dispatchedAt: Ms | null;
  deliveredAt: Ms | null;
  cancelledAt: Ms | null;
  valueMinor: number;
  currency: string | null;
}

export interface ShipmentFacts {
  status: string;
  shipments: ShipmentRecord[];
  /** Shipments exist, or the order was cancelled before any was created: shipment decided. */
  decided: boolean;
  /** Dispatched (or already delivered) shipments. */
  dispatched: ShipmentRecord[];
  /** Shipments not cancelled. */
  active: ShipmentRecord[];
  dispatchedValueMinor: number;
  currency: string | null;
  firstDispatchAt: Ms | null;
  lastDispatchAt: Ms | null;
}

export function shipmentFacts(record: OrderMilestones): ShipmentFacts {
  const shipments: ShipmentRecord[] = [];
  const byId = new Map<string, ShipmentRecord>();
  let cancelledBeforeCreation = false;
  for (const m of record.milestones) {
    if (!m.ref) {
      if (m.name === 'CANCELLED') cancelledBeforeCreation = true;
      continue;
    }
    let shipment = byId.get(m.ref);
    if (!shipment) {
      shipment = { shipmentId: m.ref, createdAt: null, dispatchedAt: null, deliveredAt: null, cancelledAt: null, valueMinor: 0, currency: null };
      byId.set(m.ref, shipment);
      shipments.push(shipment);
    }
    switch (m.name) {
      case 'CREATED':
        shipment.createdAt = timeOf(m.at);
        break;
      case 'DISPATCHED':
        shipment.dispatchedAt = timeOf(m.at);
        shipment.valueMinor = m.amountMinor ?? 0;
        shipment.currency = m.currency ?? null;
        break;
      case 'DELIVERED':
        shipment.deliveredAt = timeOf(m.at);
        break;
      case 'CANCELLED':
        shipment.cancelledAt = timeOf(m.at);
        break;
    }
  }
  const dispatched: ShipmentRecord[] = [];
  const active: ShipmentRecord[] = [];
  let dispatchedValue = 0;
  let firstDispatchAt: Ms | null = null;
  let lastDispatchAt: Ms | null = null;
  for (const s of shipments) {
    if (s.cancelledAt === null) active.push(s);
    const at = s.dispatchedAt ?? s.deliveredAt;
    if (at === null) continue;
    dispatched.push(s);
    dispatchedValue += s.valueMinor;
    if (firstDispatchAt === null || at < firstDispatchAt) firstDispatchAt = at;
    if (lastDispatchAt === null || at > lastDispatchAt) lastDispatchAt = at;
  }
  return {
    status: record.status,
    shipments,
    decided: shipments.length > 0 || cancelledBeforeCreation || record.status === 'CANCELLED',
    dispatched,
    active,
    dispatchedValueMinor: numberFact(record, 'dispatchedValueMinor') ?? dispatchedValue,
    currency: stringFact(record, 'currency') ?? dispatched[0]?.currency ?? null,
    firstDispatchAt,
    lastDispatchAt,
  };
}

// -- notification-service: one record per (orderId, kind), SENT or FAILED ----------------------

export interface NotificationFacts {
  /** The kinds the customer was sent. */
  sent: Set<NotificationKind>;
}

const KIND_BY_WORD = new Map<string, NotificationKind>(NOTIFICATION_KINDS.map((kind) => [kind.toUpperCase(), kind]));

/**
 * A notification milestone counts as sent when its name is the kind and the outcome
 * (`CONFIRMED_SENT`, notification-service's word), the kind alone (`CONFIRMED`), or `SENT` with
 * the kind in `detail.kind` / `ref`; anything saying FAILED does not count.
 */
function sentKind(m: Milestone): NotificationKind | null {
  const name = m.name.toUpperCase();
  const status = typeof m.detail?.['status'] === 'string' ? m.detail['status'].toUpperCase() : null;
  if (name.includes('FAILED') || status === 'FAILED') return null;
  const bare = name.endsWith('_SENT') ? name.slice(0, -5) : name;
  const kind = KIND_BY_WORD.get(bare);
  if (kind) return kind;
  const detailKind = typeof m.detail?.['kind'] === 'string' ? m.detail['kind'].toUpperCase() : null;
  return (detailKind && KIND_BY_WORD.get(detailKind)) || (m.ref && KIND_BY_WORD.get(m.ref.toUpperCase())) || null;
}

/**
 * The kinds sent: where the service says per kind in `facts` (`{ confirmed: true, ... }`), that
 * wins; otherwise from the milestones.
 */
export function notificationFacts(record: OrderMilestones): NotificationFacts {
  const sent = new Set<NotificationKind>();
  let fromFacts = true;
  for (const kind of NOTIFICATION_KINDS) {
    const fact = record.facts[kind];
    if (fact === true) sent.add(kind);
    else if (fact !== false) fromFacts = false;
  }
  if (fromFacts) return { sent };
  for (const m of record.milestones) {
    const kind = sentKind(m);
    if (kind && record.facts[kind] !== false) sent.add(kind);
  }
  return { sent };
}

// -- any service ---------------------------------------------------------------------------------

/** When a record became observable: its first milestone, else its last update. */
export function firstSeenAt(record: OrderMilestones): Ms {
  let first: Ms | null = null;
  for (const m of record.milestones) {
    const at = timeOf(m.at);
    if (first === null || at < first) first = at;
  }
  return first ?? timeOf(record.updatedAt);
}

// -- per view, computed once ----------------------------------------------------------------------

export interface ViewFacts {
  order: OrderFacts | null;
  inventory: InventoryFacts | null;
  payment: PaymentFacts | null;
  shipment: ShipmentFacts | null;
  notification: NotificationFacts | null;
}

function summarize<T>(answer: ServiceAnswer, summary: (record: OrderMilestones) => T): T | null {
  return answer === null || answer === 'unavailable' ? null : summary(answer);
}

// The rules of a batch are applied view by view, so the facts of the last view are all there is to
// keep (a WeakMap of a million views costs the garbage collector more than the facts cost to compute).
let lastView: OrderView | null = null;
let lastFacts: ViewFacts | null = null;

/**
 * The facts of every service that answered with a record (null for "no record" and for a service
 * that did not answer: rules never see one without checking `needs` first).
 */
export function factsOf(view: OrderView): ViewFacts {
  if (view === lastView && lastFacts) return lastFacts;
  const { services } = view;
  const facts: ViewFacts = {
    order: summarize(services.order, orderFacts),
    inventory: summarize(services.inventory, inventoryFacts),
    payment: summarize(services.payment, paymentFacts),
    shipment: summarize(services.shipment, shipmentFacts),
    notification: summarize(services.notification, notificationFacts),
  };
  lastView = view;
  lastFacts = facts;
  return facts;
}
