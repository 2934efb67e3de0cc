import { partitionOf } from './order-partition';

describe('partitionOf', () => {
  it('spreads orderIds over every partition, each on one', () => {
    const seen = new Set(Array.from({ length: 200 }, (_, i) => partitionOf(`order-${i}`, 6)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
