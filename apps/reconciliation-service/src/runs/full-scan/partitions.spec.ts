import { randomUUID } from 'node:crypto';
import type { OrderMilestones } from '@commerce/contracts';
import { inRange, keyspacePartitions, upTo } from './partitions';

describe('keyspacePartitions', () => {
  it('puts every orderId in exactly one range', () => {
    for (const count of [1, 2, 3, 4, 7, 16]) {
      const ranges = keyspacePartitions(count);
      expect(ranges).toHaveLength(count);
      for (const id of [...Array.from({ length: 200 }, () => randomUUID()), '00', 'ff', '40', '4', 'zzz', '40000000-0000-0000-0000-000000000000', '40000000-0000-0000-0000-000000000001']) {
        expect(ranges.filter((range) => inRange(id, range))).toHaveLength(1);
      }
    }
  });

  it('bounds the ranges with UUIDs', () => {
    expect(keyspacePartitions(4).map((r) => r.upTo)).toEqual([
      '40000000-0000-0000-0000-000000000000',
      '80000000-0000-0000-0000-000000000000',
      'c0000000-0000-0000-0000-000000000000',
      null,
    ]);
  });

  it('splits UUIDs about evenly', () => {
    const ranges = keyspacePartitions(4);
    const sizes = ranges.map(() => 0);
    for (let i = 0; i < 4000; i++) {
      const id = randomUUID();
      sizes[ranges.findIndex((range) => inRange(id, range))]++;
    }
    for (const size of sizes) expect(size).toBeGreaterThan(800);
  });
});

describe('upTo', () => {
  const page = (...ids: string[]): OrderMilestones[] => ids.map((orderId) => ({ orderId, status: 'X', updatedAt: '2025-01-01T00:00:00Z', milestones: [], facts: {} }));

  it('cuts the stream after the bound and stops reading', async () => {
    let read = 0;
    async function* pages() {
      for (const p of [page('a', 'b'), page('c', 'd'), page('e', 'f')]) {
        read++;
        yield p;
      }
    }
    const seen: string[] = [];
    for await (const p of upTo(pages(), 'c')) seen.push(...p.map((r) => r.orderId));
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(read).toBe(2);
  });
});
