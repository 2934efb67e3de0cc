import type { EntityManager } from 'typeorm';
import { createEvent, type EventEnvelope, type EventType, SERVICES } from '@commerce/contracts';
import { workContext } from '@commerce/platform';
import { Outbox } from '../outbox/outbox';
import { EventContext } from './event-context';
import { republishStoredEvents } from './republish';

const orderId = 'order-42';

function command(eventTypes: string[]): EventEnvelope<'RepublishEventsRequested'> {
  return createEvent(
    'RepublishEventsRequested',
    { caseId: 'case-7', rule: 'authorized-not-heard', eventTypes, targetService: SERVICES.shipment },
    { orderId, correlationId: 'corr-reconciliation', causationId: null, producer: SERVICES.reconciliation },
  );
}

/** A transaction that only records the outbox rows written through it; anything else fails the test. */
function recordingTransaction() {
  const written: Array<{ type: string; envelope: EventEnvelope }> = [];
  const manager = {
    queryRunner: { isTransactionActive: true },
    query: async (sql: string, values: unknown[]) => {
      if (!sql.startsWith('INSERT INTO outbox_message')) throw new Error(`unexpected query: ${sql}`);
      for (let i = 0; i < values.length; i += 6) written.push({ type: values[i + 3] as string, envelope: JSON.parse(values[i + 4] as string) });
      return [];
    },
  };
  return { manager: manager as unknown as EntityManager, written };
}

/** Runs the helper as the consumer would: in the command's work context, payment-service's outbox. */
function republish(eventTypes: string[], storedEvents: (requested: ReadonlySet<EventType>, context: EventContext) => Promise<EventEnvelope[] | null>) {
  const { manager, written } = recordingTransaction();
  const event = command(eventTypes);
  const context = new EventContext(event, manager, new Outbox(SERVICES.payment, 'test.'));
  const asked: Array<ReadonlySet<EventType>> = [];
  const result = workContext.run({ correlationId: event.correlationId, causationId: event.eventId, orderId }, () =>
    republishStoredEvents(event, context, {
      producer: SERVICES.payment,
      storedEvents: (requested, ctx) => {
        asked.push(requested);
        return storedEvents(requested, ctx);
      },
    }),
  );
  return { result, written, asked, event };
}

describe('republishStoredEvents', () => {
  it("asks the service only for its own event types, and writes what it rebuilt to the outbox as new events", async () => {
    const { result, written, asked, event } = republish(['PaymentAuthorized', 'InventoryReserved', 'PaymentCaptured', 'NoSuchEvent'], async (_, context) => [
      context.envelope('PaymentAuthorized', { paymentId: 'pay-1', amountMinor: 5000, currency: 'EUR' }),
      context.envelope('PaymentCaptured', { paymentId: 'pay-1', shipmentId: 'shp-1', amountMinor: 2500, currency: 'EUR' }),
    ]);

    const emitted = await result;
    expect([...asked[0]]).toEqual(['PaymentAuthorized', 'PaymentCaptured']);
    expect(written.map((row) => row.type)).toEqual(['PaymentAuthorized', 'PaymentCaptured']);
    expect(written.map((row) => row.envelope.eventId)).toEqual(emitted.map((e) => e.eventId));
    expect(written[0].envelope).toMatchObject({ orderId, producer: SERVICES.payment, causationId: event.eventId, correlationId: event.correlationId });
  });

  it("does nothing, and asks nothing, when none of the types is the service's", async () => {
    const { result, written, asked } = republish(['InventoryReserved', 'ShipmentDispatched'], async () => {
      throw new Error('must not be asked');
    });

    await expect(result).resolves.toEqual([]);
    expect(asked).toHaveLength(0);
    expect(written).toHaveLength(0);
  });

  it('writes nothing when the service has nothing stored for the order', async () => {
    const { result, written, asked } = republish(['PaymentDeclined'], async () => null);

    await expect(result).resolves.toEqual([]);
    expect(asked).toHaveLength(1);
    expect(written).toHaveLength(0);
  });

  it("keeps the envelopes the service built itself (a service that keeps the order's own correlation)", async () => {
    const own = createEvent('PaymentDeclined', { paymentId: 'pay-1', reason: 'card declined' }, {
      orderId,
      correlationId: 'corr-of-the-order',
      causationId: 'the-command',
      producer: SERVICES.payment,
    });
    const { result, written } = republish(['PaymentDeclined'], async () => [own]);

    await result;
    expect(written).toEqual([{ type: 'PaymentDeclined', envelope: expect.objectContaining({ eventId: own.eventId, correlationId: 'corr-of-the-order' }) }]);
  });

  it('lets a refusal through (a command about an order the service cannot know)', async () => {
    const { result, written } = republish(['PaymentAuthorized'], async () => {
      throw new Error('unknown order');
    });

    await expect(result).rejects.toThrow('unknown order');
    expect(written).toHaveLength(0);
  });
});
