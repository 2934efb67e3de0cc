import { at, deliveredOrder, withAnswers } from '../../test/support/milestones';
import { crossServiceTimeline } from './timeline';

describe('crossServiceTimeline', () => {
  it('merges every service’s milestones by time, the flow’s order breaking ties', () => {
    const timeline = crossServiceTimeline(deliveredOrder('o-1'));
    expect(timeline.slice(0, 4).map((e) => `${e.service}:${e.name}`)).toEqual(['order:PLACED', 'inventory:RESERVED', 'order:CONFIRMED', 'payment:AUTHORIZED']);
    const times = timeline.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(timeline.find((e) => e.name === 'CAPTURED')).toMatchObject({ service: 'payment', at: at(11), ref: 'shp-1', amountMinor: 5000 });
  });

  it('leaves out services that had no record or did not answer', () => {
    const timeline = crossServiceTimeline(withAnswers(deliveredOrder('o-1'), { payment: 'unavailable', shipment: null }));
    expect(new Set(timeline.map((e) => e.service))).toEqual(new Set(['order', 'inventory', 'notification']));
  });
});
