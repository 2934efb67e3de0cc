import { type EventEnvelope, TOPICS } from '@commerce/contracts';
import { eventFor, inventoryReserved, orderPlaced, shipmentDispatched } from '@commerce/contracts/testing';
import { workContext } from '@commerce/platform';
import { eventually, type ServiceUnderTest, startServiceUnderTest, uniqueName } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { PaymentGateway } from '../src/gateway/payment-gateway';
import { PaymentCaptureService } from '../src/payments/payment-capture.service';
import { PaymentCompensationService } from '../src/payments/payment-compensation.service';
import { paymentService } from '../src/service';
import { ControlledGateway } from './controlled-gateway';

jest.setTimeout(120_000);

const mug = { sku: 'SKU-MUG-RED', quantity: 2, unitPriceMinor: 1250 };
const tee = { sku: 'SKU-TEE-BLUE', quantity: 1, unitPriceMinor: 2500 };
/** 2 × 12.50 + 1 × 25.00 = 50.00 EUR, shipped as two parcels of 25.00. */
const TOTAL = 5000;

/**
 * No gateway call holds the payment's row lock: a capture held at a gateway the test controls
 * leaves the payment free for other work, every call still applies exactly once, and a call a
 * crash left in flight is sent again under its own id.
 */
describe('payment-service while the gateway is slow to answer a capture', () => {
  let payment: ServiceUnderTest;
  const gateway = new ControlledGateway({ slowMs: 50 });

  beforeAll(async () => {
    payment = await startServiceUnderTest({
      ...paymentService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      env: { MILESTONE_DOCUMENTS_REFRESH_MS: '0' },
      watch: [TOPICS.paymentEvents],
      configure: (builder) => builder.overrideProvider(PaymentGateway).useValue(gateway),
    });
  });

  afterAll(async () => {
    await payment?.close();
  });

  async function paymentOf(orderId: string, status?: string) {
    return eventually(async () => {
      const answer = await payment.http('GET', `/payments/${orderId}`);
      expect(answer.status).toBe(200);
      if (status) expect(answer.body.status).toBe(status);
      return answer.body;
    });
  }

  /** An order taken to AUTHORIZED. */
  async function authorizedOrder() {
    const orderId = uniqueName('order');
    await payment.produce(orderPlaced(orderId, [mug, tee]), inventoryReserved(orderId, TOTAL));
    const { paymentId } = await paymentOf(orderId, 'AUTHORIZED');
    return { orderId, paymentId: paymentId as string };
  }

  // kafkajs fetches a broker's partitions again only once the batches it handed out are done, so
  // on a one-broker test cluster nothing else arrives while a handler waits: the operations run
  // meanwhile are called on the service itself, as its consumers would call them.
  const asConsumerOf = <T>(event: EventEnvelope, work: () => Promise<T>) =>
    workContext.run({ correlationId: event.correlationId, causationId: event.eventId, orderId: event.orderId }, work);

  /** Holds the payment's next capture at the gateway, sends it `shipment`, and waits until the capture is there. */
  async function captureHeldAtTheGateway(paymentId: string, shipment: EventEnvelope<'ShipmentDispatched'>) {
    const reference = `sim_auth_${paymentId}`;
    const held = gateway.holdNextCapture(reference);
    await payment.produce(shipment);
    await eventually(() => expect(held.waiting).toBe(true));
    return { reference, held };
  }

  /** Takes the payment's row lock without waiting: fails at once if anyone holds it. */
  function lockWithoutWaiting(paymentId: string): Promise<unknown> {
    return payment.dataSource.transaction((manager) => manager.query('SELECT 1 FROM payment WHERE payment_id = $1 FOR UPDATE NOWAIT', [paymentId]));
  }

  async function callsLeftInFlight(paymentId: string): Promise<number> {
    const [{ count }] = await payment.dataSource.query('SELECT count(*)::int AS count FROM payment_gateway_call WHERE payment_id = $1', [paymentId]);
    return count;
  }

  it("holds no lock on the payment, so a second shipment's capture completes meanwhile, from what the first leaves; each applies once", async () => {
    // The second parcel was dispatched before the authorization: a repair captures it.
    const orderId = uniqueName('order');
    const hamburg = shipmentDispatched(orderId, uniqueName('shp'), 'wh-hamburg', [tee]);
    await payment.produce(hamburg);
    await eventually(async () => expect(await payment.processed(hamburg.eventId)).toBe(true));
    await payment.produce(orderPlaced(orderId, [mug, tee]), inventoryReserved(orderId, TOTAL));
    const { paymentId } = await paymentOf(orderId, 'AUTHORIZED');
    const berlin = shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug]);
    const { reference, held } = await captureHeldAtTheGateway(paymentId, berlin);

    try {
      await expect(lockWithoutWaiting(paymentId)).resolves.toBeDefined();
      const repair = eventFor('CapturePaymentRequested', orderId, { caseId: 'case-slow', rule: 'dispatched-not-captured', shipmentId: hamburg.payload.shipmentId });
      await asConsumerOf(repair, () => payment.app.get(PaymentCaptureService).captureDispatched(orderId, hamburg.payload.shipmentId));

      const meanwhile = await paymentOf(orderId, 'PARTIALLY_CAPTURED');
      expect(meanwhile.captures).toEqual([expect.objectContaining({ shipmentId: hamburg.payload.shipmentId, amountMinor: 2500 })]);
      expect(await payment.processed(berlin.eventId)).toBe(false); // its capture still waits at the gateway
    } finally {
      held.release();
    }

    await eventually(async () => expect(await payment.processed(berlin.eventId)).toBe(true));
    const settled = await paymentOf(orderId, 'CAPTURED');
    expect(settled.capturedMinor).toBe(TOTAL);
    expect(settled.captures.map((capture: { shipmentId: string }) => capture.shipmentId).sort()).toEqual(
      [berlin.payload.shipmentId, hamburg.payload.shipmentId].sort(),
    );
    expect(await payment.outbox(orderId, 'PaymentCaptured')).toHaveLength(2);
    expect(gateway.callsOf(reference).map((call) => [call.kind, call.amountMinor])).toEqual([
      ['capture', 2500],
      ['capture', 2500],
    ]);
    expect(await callsLeftInFlight(paymentId)).toBe(0);
  });

  it('cancels the order meanwhile: the capture in flight lands once, is refunded, and the rest is voided', async () => {
    const { orderId, paymentId } = await authorizedOrder();
    const berlin = shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug]);
    const { reference, held } = await captureHeldAtTheGateway(paymentId, berlin);

    try {
      await expect(lockWithoutWaiting(paymentId)).resolves.toBeDefined();
      // The cancellation finishes the capture itself (the same call, sent again), then gives everything back.
      const cancel = eventFor('OrderCancellationRequested', orderId, { reason: 'customer-request' });
      await asConsumerOf(cancel, () => payment.app.get(PaymentCompensationService).cancelPayment(cancel));

      const meanwhile = await paymentOf(orderId, 'REFUNDED');
      expect(meanwhile).toMatchObject({ capturedMinor: 2500, refundedMinor: 2500, voidedMinor: 2500 });
      expect(await payment.processed(berlin.eventId)).toBe(false);
    } finally {
      held.release();
    }

    await eventually(async () => expect(await payment.processed(berlin.eventId)).toBe(true));
    const settled = await paymentOf(orderId, 'REFUNDED');
    expect(settled).toMatchObject({ authorizedMinor: TOTAL, capturedMinor: 2500, refundedMinor: 2500, voidedMinor: 2500 });
    expect(settled.captures).toEqual([expect.objectContaining({ shipmentId: berlin.payload.shipmentId, amountMinor: 2500 })]);
    expect(settled.refunds).toEqual([expect.objectContaining({ amountMinor: 2500, reason: 'order-cancelled' })]);
    expect(await payment.outbox(orderId, 'PaymentCaptured')).toHaveLength(1);
    expect(await payment.outbox(orderId, 'PaymentRefunded')).toHaveLength(1);
    expect(await payment.outbox(orderId, 'PaymentVoided')).toHaveLength(1);
    const sent = gateway.callsOf(reference);
    expect(sent.map((call) => [call.kind, call.amountMinor])).toEqual([
      ['capture', 2500],
      ['capture', 2500],
      ['refund', 2500],
      ['void', 2500],
    ]);
    expect(sent[1].callId).toBe(sent[0].callId);
    expect(await callsLeftInFlight(paymentId)).toBe(0);
  });

  it('sends a capture left in flight by a crash again, under the same call id, when the event is redelivered, and applies it once', async () => {
    const { orderId, paymentId } = await authorizedOrder();
    const berlin = shipmentDispatched(orderId, uniqueName('shp'), 'wh-berlin', [mug]);
    const reference = `sim_auth_${paymentId}`;
    // What a crash after deciding the capture leaves: the shipment heard of, the call recorded, nothing applied.
    const callId = '5a0c6f5e-7d3b-4f0e-9a51-3b1f2c4d5e6f';
    await payment.dataSource.query(
      `INSERT INTO dispatched_shipment (order_id, shipment_id, node, value_minor, currency, dispatched_at) VALUES ($1, $2, 'wh-berlin', 2500, 'EUR', now())`,
      [orderId, berlin.payload.shipmentId],
    );
    await payment.dataSource.query(
      `INSERT INTO payment_gateway_call (call_id, payment_id, kind, amount_minor, reference, shipment_id) VALUES ($1, $2, 'capture', 2500, $3, $4)`,
      [callId, paymentId, reference, berlin.payload.shipmentId],
    );

    await payment.produce(berlin);

    const settled = await paymentOf(orderId, 'PARTIALLY_CAPTURED');
    expect(settled.captures).toEqual([expect.objectContaining({ shipmentId: berlin.payload.shipmentId, amountMinor: 2500 })]);
    await eventually(async () => expect(await payment.processed(berlin.eventId)).toBe(true));
    expect(gateway.callsOf(reference)).toEqual([{ kind: 'capture', reference, amountMinor: 2500, callId }]);
    expect(await payment.outbox(orderId, 'PaymentCaptured')).toHaveLength(1);
    expect(await callsLeftInFlight(paymentId)).toBe(0);
  });
});
