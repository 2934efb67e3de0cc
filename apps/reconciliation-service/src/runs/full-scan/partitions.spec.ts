import { randomUUID } from 'node:crypto';
import type { ItemPage } from '../../sources/milestone-client';
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
  const page = (nextCursor: string | null, ...ids: string[]): ItemPage => ({
    items: ids.map((orderId) => ({ orderId, status: 'X', updatedAt: '2025-01-01T00:00:00Z', milestones: [], facts: {} })),
    nextCursor,
  });
  const read = async (pages: ItemPage[], bound: string | null) => {
    let asked = 0;
    async function* stream() {
      for (const p of pages) {
        asked++;
        yield p;
      }
    }
    const seen: string[] = [];
    for await (const p of upTo(stream(), bound)) for (const record of p) seen.push(record.orderId);
    return { seen, asked };
  };

  it('cuts the stream after the bound and asks for no page after the one that reaches past it', async () => {
    expect(await read([page('b', 'a', 'b'), page('d', 'c', 'd'), page(null, 'e', 'f')], 'c')).toEqual({ seen: ['a', 'b', 'c'], asked: 2 });
  });

  it('passes pages within the bound on whole, the last page read to the bound, and everything without one', async () => {
    expect(await read([page('b', 'a', 'b'), page(null, 'c', 'd')], 'd')).toEqual({ seen: ['a', 'b', 'c', 'd'], asked: 2 });
    expect(await read([page('b', 'a', 'b'), page(null, 'c', 'd')], 'zz')).toEqual({ seen: ['a', 'b', 'c', 'd'], asked: 2 });
    expect(await read([page('b', 'a', 'b'), page(null, 'c', 'd')], null)).toEqual({ seen: ['a', 'b', 'c', 'd'], asked: 2 });
  });
});
