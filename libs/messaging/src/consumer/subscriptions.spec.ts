import { TOPICS } from '@commerce/contracts';
import { subscriptionsFor, UnknownEventPatternError } from './subscriptions';

describe('subscriptionsFor', () => {
  it("subscribes to each handled event type's topic, once", () => {
    expect(subscriptionsFor(['OrderPlaced', 'OrderCancellationRequested', 'PaymentAuthorized', 'VoidPaymentRequested'])).toEqual(
      [TOPICS.orderEvents, TOPICS.paymentEvents, TOPICS.reconciliationCommands].sort(),
    );
  });

  it('subscribes to no topic that no handler needs', () => {
    expect(subscriptionsFor(['ShipmentDispatched'])).toEqual([TOPICS.shipmentEvents]);
  });

  it('subscribes to nothing when nothing is handled', () => {
    expect(subscriptionsFor([])).toEqual([]);
  });

  it('refuses a handler for a type the catalog does not have, naming every such pattern', () => {
    const derive = () => subscriptionsFor(['OrderPlaced', 'OrderPlacd', 'PaymentCapturd']);
    expect(derive).toThrow(UnknownEventPatternError);
    expect(derive).toThrow(/@EventPattern\("OrderPlacd", "PaymentCapturd"\) names no event type of the catalog/);
  });
});
