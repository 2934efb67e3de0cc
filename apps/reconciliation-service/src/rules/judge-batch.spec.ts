import { compactOrderMilestones, parseCompactOrderMilestones } from '@commerce/contracts';
import { at, deliveredOrder, paymentRecord, withAnswers } from '../../test/support/milestones';
import { ruleCatalog } from './catalog';
import { concatJudged, judgeBatch } from './judge-batch';
import { type OrderView, SOURCE_SERVICES, type ServiceAnswer, type SourceService } from './order-view';

const rules = ruleCatalog({});
const now = new Date(Date.parse(at(24 * 60)));

/** The view as a compact page would give it: times as epoch milliseconds. */
const asRead = (view: OrderView): OrderView => ({
  ...view,
  services: Object.fromEntries(
    SOURCE_SERVICES.map((service) => {
      const answer = view.services[service];
      return [service, answer === null || answer === 'unavailable' ? answer : parseCompactOrderMilestones(compactOrderMilestones(answer as never))];
    }),
  ) as Record<SourceService, ServiceAnswer>,
});

describe('judgeBatch', () => {
  // Dispatched at minute 10, never captured: dispatched-not-captured, long past its grace.
  const uncaptured = withAnswers(deliveredOrder('o-2'), { payment: paymentRecord('o-2', { authorizedAt: at(2) }) });

  it('judges a view read from a compact page as the same view in the full form', () => {
    const full = judgeBatch(rules, [deliveredOrder('o-1'), uncaptured], now);
    const read = judgeBatch(rules, [asRead(deliveredOrder('o-1')), asRead(uncaptured)], now);
    expect(read.counts).toEqual(full.counts);
    expect(read.findings.map((f) => [f.orderId, f.ruleId, f.result])).toEqual(full.findings.map((f) => [f.orderId, f.ruleId, f.result]));
    expect(full.findings.filter((f) => f.result.outcome === 'violated').map((f) => f.ruleId)).toContain('dispatched-not-captured');
  });

  it('keeps a violation\'s view as evidence in the full form, ISO times and all', () => {
    const [finding] = judgeBatch(rules, [asRead(uncaptured)], now).findings.filter((f) => f.ruleId === 'dispatched-not-captured');
    expect(finding.view).toEqual(uncaptured);
  });
});

describe('concatJudged', () => {
  it('is what judging the orders in one batch would have been, with the latest batch\'s time', () => {
    const views = [deliveredOrder('o-1'), uncapturedView('o-2'), deliveredOrder('o-3'), uncapturedView('o-4')];
    const whole = judgeBatch(rules, views, now);
    const later = new Date(now.getTime() + 1000);
    const joined = concatJudged([judgeBatch(rules, views.slice(0, 1), now), judgeBatch(rules, views.slice(1, 3), now), judgeBatch(rules, views.slice(3), later)]);
    expect(joined.orderIds).toEqual(whole.orderIds);
    expect(joined.counts).toEqual(whole.counts);
    expect(joined.findings).toEqual(whole.findings);
    expect(joined.now).toBe(later);
  });

  it('refuses to join nothing', () => {
    expect(() => concatJudged([])).toThrow(/no judged batch/);
  });
});

function uncapturedView(orderId: string): OrderView {
  return withAnswers(deliveredOrder(orderId), { payment: paymentRecord(orderId, { authorizedAt: at(2) }) });
}
