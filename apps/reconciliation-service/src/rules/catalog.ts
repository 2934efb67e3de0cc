import type { NotificationKind } from '@commerce/contracts';
import { SOURCE_SERVICES, type SourceService } from './order-view';
import { type Evaluation, graceSettingOf, type Repair, type RepairCommand, type Rule, type Severity } from './rule';
import { factsOf, firstSeenAt, type Ms, type ShipmentRecord } from './service-facts';

/**
 * The invariants checked across services, as data: each with its grace, severity, repair and the
 * services it reads. `evaluate` is a pure function of one order's view; the grace is applied by
 * `judge` (rule.ts).
 */

const minutes = (n: number) => n * 60_000;
const HOLDS: Evaluation = { holds: true };
const violated = (since: Ms, details: Record<string, unknown>): Evaluation => ({ holds: false, since: new Date(since), details });
const latest = (...times: Array<Ms | null>): Ms => Math.max(...times.filter((t): t is Ms => t !== null));
const earliest = (...times: Array<Ms | null>): Ms => Math.min(...times.filter((t): t is Ms => t !== null));
const iso = (at: Ms | null): string | undefined => (at === null ? undefined : new Date(at).toISOString());

interface RuleDefinition {
  id: string;
  description: string;
  graceMs: number;
  severity: Severity;
  repair: Repair;
  needs: readonly SourceService[];
  evaluate: Rule['evaluate'];
}

const define = (rule: RuleDefinition): Rule => ({ ...rule, graceSetting: graceSettingOf(rule.id) });

const republish = (eventTypes: string[], targetService: string, description: string): Repair => ({
  kind: 'auto',
  command: {
    types: ['RepublishEventsRequested'],
    description,
    plan: () => [{ type: 'RepublishEventsRequested', payload: { eventTypes, targetService } }],
  },
});

const stuckAtInventory = define({
  id: 'stuck-at-inventory',
  description: 'An order PLACED has an inventory decision (reserved or rejected).',
  graceMs: minutes(2),
  severity: 'major',
  needs: ['order', 'inventory'],
  repair: republish(['OrderPlaced'], 'inventory-service', 'Republish OrderPlaced from the order service for inventory.'),
  evaluate(view) {
    const { order, inventory } = factsOf(view);
    if (!order || inventory?.decided) return HOLDS;
    return violated(order.placedAt, { orderStatus: order.status, inventory: inventory ? inventory.status : 'no record' });
  },
});

const stuckAtPayment = define({
  id: 'stuck-at-payment',
  description: 'A reservation has a payment decision (authorized or declined).',
  graceMs: minutes(5),
  severity: 'major',
  needs: ['inventory', 'payment'],
  // Payment decides once it holds both the order's token (OrderPlaced) and the reservation: one
  // that lost events (down while its offsets were reset) lacks both, and its milestones do not say
  // which half it has. Republishing both is harmless to whoever had them (guards, inbox).
  repair: republish(
    ['OrderPlaced', 'InventoryReserved'],
    'payment-service',
    'Republish OrderPlaced (order service) and InventoryReserved (inventory service) for payment, which decides once it has both.',
  ),
  evaluate(view) {
    const { inventory, payment } = factsOf(view);
    if (!inventory?.reservedAt || payment?.decided) return HOLDS;
    return violated(inventory.reservedAt, {
      reservationId: inventory.reservationId,
      inventoryStatus: inventory.status,
      payment: payment ? payment.status : 'no record',
    });
  },
});

const stuckAtShipment = define({
  id: 'stuck-at-shipment',
  description: 'An authorized payment has shipment(s) created (or the shipments were cancelled before creation).',
  graceMs: minutes(5),
  severity: 'major',
  needs: ['payment', 'shipment'],
  // Shipment creates shipments once it holds the order's prices, the reservation's nodes and the
  // authorization; as for stuck-at-payment, it may lack any of them.
  repair: republish(
    ['OrderPlaced', 'InventoryReserved', 'PaymentAuthorized'],
    'shipment-service',
    'Republish OrderPlaced, InventoryReserved and PaymentAuthorized for shipment, which creates shipments once it has all three.',
  ),
  evaluate(view) {
    const { payment, shipment } = factsOf(view);
    if (!payment?.authorizedAt || shipment?.decided) return HOLDS;
    // Voided or refunded: the order is being cancelled, there is nothing left to ship (and
    // republishing the authorization would create shipments for a cancelled order).
    if (payment.voided || payment.refundedMinor > 0) return HOLDS;
    return violated(payment.authorizedAt, {
      paymentId: payment.paymentId,
      paymentStatus: payment.status,
      shipment: shipment ? shipment.status : 'no record',
    });
  },
});

function uncapturedShipments(view: Parameters<Rule['evaluate']>[0]): ShipmentRecord[] {
  const { shipment, payment } = factsOf(view);
  if (!shipment) return [];
  return shipment.dispatched.filter((s) => !payment?.captures.has(s.shipmentId));
}

/** Dispatched shipments lack their capture while a capture could still succeed. */
function capturesMissing(view: Parameters<Rule['evaluate']>[0]): boolean {
  const { payment } = factsOf(view);
  if (payment && payment.voided && payment.openAuthorizationMinor === 0) return false;
  return uncapturedShipments(view).length > 0;
}

const dispatchedNotCaptured = define({
  id: 'dispatched-not-captured',
  description: 'Every dispatched shipment has its capture.',
  graceMs: minutes(10),
  severity: 'major',
  needs: ['shipment', 'payment'],
  repair: {
    kind: 'auto',
    command: {
      types: ['CapturePaymentRequested'],
      description: 'Ask payment to capture each dispatched shipment that has no capture.',
      plan: (view) => uncapturedShipments(view).map((s) => ({ type: 'CapturePaymentRequested', payload: { shipmentId: s.shipmentId } })),
    },
  },
  evaluate(view) {
    const { payment } = factsOf(view);
    // Voided with nothing left to capture from: a capture cannot succeed; cancelled-but-dispatched
    // and amount-mismatch report it to a person.
    if (!capturesMissing(view)) return HOLDS;
    const uncaptured = uncapturedShipments(view);
    return violated(earliest(...uncaptured.map((s) => s.dispatchedAt ?? s.deliveredAt)), {
      uncaptured: uncaptured.map((s) => ({ shipmentId: s.shipmentId, dispatchedAt: iso(s.dispatchedAt), valueMinor: s.valueMinor })),
      paymentStatus: payment ? payment.status : 'no record',
    });
  },
});

const releaseReservation = (description: string): Repair => ({
  kind: 'auto',
  command: {
    types: ['ReleaseReservationRequested'],
    description,
    plan: (view) => {
      const reservationId = factsOf(view).inventory?.reservationId;
      return [{ type: 'ReleaseReservationRequested', payload: reservationId ? { reservationId } : {} }];
    },
  },
});

const declinedStillReserved = define({
  id: 'declined-still-reserved',
  description: 'A declined order holds no reservation.',
  graceMs: minutes(5),
  severity: 'major',
  needs: ['payment', 'inventory'],
  repair: releaseReservation('Ask inventory to release the reservation.'),
  evaluate(view) {
    const { payment, inventory } = factsOf(view);
    if (!payment?.declined || !inventory?.holding) return HOLDS;
    return violated(payment.declinedAt ?? Date.parse(view.observedAt), { reservationId: inventory.reservationId, inventoryStatus: inventory.status });
  },
});

const cancelledStillReserved = define({
  id: 'cancelled-still-reserved',
  description: 'A cancelled order holds no reservation.',
  graceMs: minutes(5),
  severity: 'major',
  needs: ['order', 'inventory'],
  repair: releaseReservation('Ask inventory to release the reservation.'),
  evaluate(view) {
    const { order, inventory } = factsOf(view);
    if (!order?.cancellationRequestedAt || !inventory?.holding) return HOLDS;
    return violated(order.cancellationRequestedAt, {
      orderStatus: order.status,
      reservationId: inventory.reservationId,
      inventoryStatus: inventory.status,
    });
  },
});

const cancelledStillCharged = define({
  id: 'cancelled-still-charged',
  description: 'A cancelled order has its authorization voided or its capture refunded.',
  graceMs: minutes(10),
  severity: 'critical',
  needs: ['order', 'payment'],
  repair: {
    kind: 'auto',
    command: {
      types: ['VoidPaymentRequested', 'RefundPaymentRequested'],
      description: 'Ask payment to void what is still authorized and refund what was captured.',
      plan: (view) => {
        const payment = factsOf(view).payment;
        if (!payment) return [];
        const paymentId = payment.paymentId ? { paymentId: payment.paymentId } : {};
        const commands: RepairCommand[] = [];
        if (payment.openAuthorizationMinor > 0) commands.push({ type: 'VoidPaymentRequested', payload: paymentId });
        if (payment.refundableMinor > 0) commands.push({ type: 'RefundPaymentRequested', payload: paymentId });
        return commands;
      },
    },
  },
  evaluate(view) {
    const { order, payment } = factsOf(view);
    if (!order?.cancellationRequestedAt || !payment) return HOLDS;
    if (payment.openAuthorizationMinor === 0 && payment.refundableMinor === 0) return HOLDS;
    return violated(order.cancellationRequestedAt, {
      paymentId: payment.paymentId,
      paymentStatus: payment.status,
      stillAuthorizedMinor: payment.openAuthorizationMinor,
      capturedNotRefundedMinor: payment.refundableMinor,
      currency: payment.currency,
    });
  },
});

const cancelledButDispatched = define({
  id: 'cancelled-but-dispatched',
  description: 'A cancelled order has no dispatched shipment.',
  graceMs: 0,
  severity: 'critical',
  needs: ['order', 'shipment'],
  repair: { kind: 'manual', description: 'No compensation exists: a person recalls the parcel or refuses the cancellation.' },
  evaluate(view) {
    const { order, shipment } = factsOf(view);
    if (!order?.cancellationRequestedAt || !shipment || shipment.dispatched.length === 0) return HOLDS;
    return violated(latest(order.cancellationRequestedAt, shipment.firstDispatchAt), {
      orderStatus: order.status,
      cancellationRequestedAt: iso(order.cancellationRequestedAt),
      dispatched: shipment.dispatched.map((s) => ({ shipmentId: s.shipmentId, dispatchedAt: iso(s.dispatchedAt) })),
    });
  },
});

const amountMismatch = define({
  id: 'amount-mismatch',
  description: "Captured (minus refunded) amount equals the dispatched lines' total.",
  graceMs: minutes(10),
  severity: 'critical',
  needs: ['order', 'payment', 'shipment'],
  repair: { kind: 'manual', description: 'No safe automatic compensation: a person decides which side is right.' },
  evaluate(view) {
    const { order, payment, shipment } = factsOf(view);
    // A cancellation gives the money back whatever was dispatched: the cancellation rules own it.
    if (order?.cancellationRequestedAt) return HOLDS;
    // A dispatch without its capture is dispatched-not-captured's (one divergence, one case).
    if (capturesMissing(view)) return HOLDS;
    const netMinor = payment ? payment.capturedMinor - payment.refundedMinor : 0;
    const dispatchedValueMinor = shipment ? shipment.dispatchedValueMinor : 0;
    const currencies = [payment?.currency, shipment?.dispatched.length ? shipment.currency : null].filter((c): c is string => !!c);
    const sameCurrency = new Set(currencies).size <= 1;
    if (netMinor === dispatchedValueMinor && sameCurrency) return HOLDS;
    return violated(latest(shipment?.lastDispatchAt ?? null, payment?.lastMovementAt ?? null, payment?.authorizedAt ?? null), {
      capturedMinor: payment?.capturedMinor ?? 0,
      refundedMinor: payment?.refundedMinor ?? 0,
      netCapturedMinor: netMinor,
      dispatchedValueMinor,
      differenceMinor: netMinor - dispatchedValueMinor,
      currencies,
    });
  },
});

interface Contradiction {
  expected: string;
  decidingEvent: string;
  at: Ms;
}

function contradictions(view: Parameters<Rule['evaluate']>[0]): Contradiction[] {
  const { order, inventory, payment, shipment } = factsOf(view);
  if (!order || !['PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED'].includes(order.status)) return [];
  const found: Contradiction[] = [];
  if (payment?.declined) found.push({ expected: 'REJECTED', decidingEvent: 'PaymentDeclined', at: payment.declinedAt ?? Date.parse(view.observedAt) });
  if (inventory?.rejected) found.push({ expected: 'REJECTED', decidingEvent: 'InventoryRejected', at: inventory.rejectedAt ?? Date.parse(view.observedAt) });
  if (found.length > 0) return found;
  if (order.status === 'PLACED' && payment?.authorizedAt) found.push({ expected: 'CONFIRMED', decidingEvent: 'PaymentAuthorized', at: payment.authorizedAt });
  const active = shipment?.active ?? [];
  const allDispatched = active.length > 0 && active.every((s) => s.dispatchedAt !== null || s.deliveredAt !== null);
  const allDelivered = active.length > 0 && active.every((s) => s.deliveredAt !== null);
  if (allDispatched && (order.status === 'PLACED' || order.status === 'CONFIRMED')) {
    found.push({ expected: 'SHIPPED', decidingEvent: 'ShipmentDispatched', at: latest(...active.map((s) => s.dispatchedAt ?? s.deliveredAt)) });
  }
  if (allDelivered && order.status !== 'DELIVERED') {
    found.push({ expected: 'DELIVERED', decidingEvent: 'ShipmentDelivered', at: latest(...active.map((s) => s.deliveredAt)) });
  }
  return found;
}

const statusContradiction = define({
  id: 'status-contradiction',
  description: "The order's status agrees with the facts downstream (e.g. not CONFIRMED while payment DECLINED).",
  graceMs: minutes(5),
  severity: 'minor',
  needs: ['order', 'inventory', 'payment', 'shipment'],
  repair: {
    kind: 'auto',
    command: {
      types: ['RepublishEventsRequested'],
      description: 'Republish the deciding event(s) to the order service.',
      plan: (view) => [
        { type: 'RepublishEventsRequested', payload: { eventTypes: [...new Set(contradictions(view).map((c) => c.decidingEvent))], targetService: 'order-service' } },
      ],
    },
  },
  evaluate(view) {
    const found = contradictions(view);
    if (found.length === 0) return HOLDS;
    return violated(earliest(...found.map((c) => c.at)), {
      orderStatus: factsOf(view).order?.status,
      contradictions: found.map((c) => ({ expected: c.expected, decidingEvent: c.decidingEvent, at: iso(c.at) })),
    });
  },
});

/** The order milestones after which the customer is notified, and of what. */
const NOTIFIABLE: ReadonlyArray<{ milestone: string; kind: NotificationKind }> = [
  { milestone: 'CONFIRMED', kind: 'confirmed' },
  { milestone: 'REJECTED', kind: 'rejected' },
  { milestone: 'SHIPPED', kind: 'dispatched' },
  { milestone: 'DELIVERED', kind: 'delivered' },
  { milestone: 'CANCELLED', kind: 'cancelled' },
];

function missingNotifications(view: Parameters<Rule['evaluate']>[0]): Array<{ kind: NotificationKind; since: Ms }> {
  const { order, notification } = factsOf(view);
  if (!order) return [];
  return NOTIFIABLE.flatMap(({ milestone, kind }) => {
    const at = order.milestoneAt(milestone);
    if (!at || notification?.sent.has(kind)) return [];
    // A customer told the order is on its way is not told it is cancelled (people handle that).
    if (kind === 'cancelled' && notification?.sent.has('dispatched')) return [];
    return [{ kind, since: at }];
  });
}

const missingNotification = define({
  id: 'missing-notification',
  description: 'Each notifiable order milestone (confirmed, rejected, shipped, delivered, cancelled) has its notification.',
  graceMs: minutes(15),
  severity: 'minor',
  needs: ['order', 'notification'],
  repair: {
    kind: 'auto',
    command: {
      types: ['ResendNotificationRequested'],
      description: 'Ask notification to send each missing kind.',
      plan: (view) => missingNotifications(view).map(({ kind }) => ({ type: 'ResendNotificationRequested', payload: { kind } })),
    },
  },
  evaluate(view) {
    const missing = missingNotifications(view);
    if (missing.length === 0) return HOLDS;
    return violated(earliest(...missing.map((m) => m.since)), { missing: missing.map((m) => ({ kind: m.kind, since: iso(m.since) })) });
  },
});

const orphanRecord = define({
  id: 'orphan-record',
  description: 'No service holds a record for an orderId the order service does not know.',
  graceMs: minutes(10),
  severity: 'major',
  needs: SOURCE_SERVICES,
  repair: { kind: 'manual', description: 'A person finds out where the record came from (restore, hand edit, foreign producer).' },
  evaluate(view) {
    if (view.services.order !== null) return HOLDS;
    const holders = SOURCE_SERVICES.flatMap((service) => {
      const answer = view.services[service];
      return answer !== null && answer !== 'unavailable' ? [{ service, record: answer }] : [];
    });
    if (holders.length === 0) return HOLDS;
    return violated(earliest(...holders.map(({ record }) => firstSeenAt(record))), {
      heldBy: holders.map(({ service, record }) => ({ service, status: record.status })),
    });
  },
});

/** Every rule, in the order they are listed. */
export const RULES: readonly Rule[] = [
  stuckAtInventory,
  stuckAtPayment,
  stuckAtShipment,
  dispatchedNotCaptured,
  declinedStillReserved,
  cancelledStillReserved,
  cancelledStillCharged,
  cancelledButDispatched,
  amountMismatch,
  statusContradiction,
  missingNotification,
  orphanRecord,
];

export type RuleId = (typeof RULES)[number]['id'];

/** The catalog with each rule's grace overridden by its `RULE_GRACE_MS_*` setting, when set. */
export function ruleCatalog(settings: Record<string, unknown>): Rule[] {
  return RULES.map((rule) => {
    const override = settings[rule.graceSetting];
    return typeof override === 'number' ? { ...rule, graceMs: override } : rule;
  });
}

export function findRule(rules: readonly Rule[], id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}
