import type { OrderMilestones } from '@commerce/contracts';
import type { OrderView, SourceService } from '../rules/order-view';
import { mergeJoin, type SortedStream } from './merge-join';

const record = (orderId: string, status = 'X'): OrderMilestones => ({
  orderId,
  status,
  updatedAt: '2025-01-01T00:00:00.000Z',
  milestones: [],
  facts: {},
});

/** A stream serving these orderIds in pages of `pageSize`, failing before page `failAtPage` if given. */
function stream(ids: string[], { pageSize = 2, failAtPage }: { pageSize?: number; failAtPage?: number } = {}) {
  const calls = { pagesServed: 0 };
  const iterable: SortedStream = {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < ids.length; i += pageSize) {
        if (failAtPage !== undefined && calls.pagesServed === failAtPage) throw new Error('connection refused');
        calls.pagesServed++;
        yield ids.slice(i, i + pageSize).map((id) => record(id));
      }
    },
  };
  return { iterable, calls };
}

async function collect(generator: AsyncGenerator<OrderView[]>): Promise<OrderView[][]> {
  const batches: OrderView[][] = [];
  for await (const batch of generator) batches.push(batch);
  return batches;
}

const shape = (view: OrderView) =>
  Object.fromEntries(
    Object.entries(view.services).map(([service, answer]) => [service, answer === null ? null : answer === 'unavailable' ? 'unavailable' : answer.orderId]),
  );

describe('mergeJoin', () => {
  it('joins streams sorted by orderId into one view per orderId, with null where a service has no record', async () => {
    const batches = await collect(
      mergeJoin(
        {
          order: stream(['a', 'b', 'c', 'e']).iterable,
          inventory: stream(['a', 'c', 'd']).iterable,
          payment: stream(['b']).iterable,
          shipment: stream([]).iterable,
          notification: stream(['e']).iterable,
        },
        { batchSize: 10 },
      ),
    );
    const views = batches.flat();
    expect(views.map((v) => v.orderId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(shape(views[0])).toEqual({ order: 'a', inventory: 'a', payment: null, shipment: null, notification: null });
    expect(shape(views[3])).toEqual({ order: null, inventory: 'd', payment: null, shipment: null, notification: null });
    expect(shape(views[4])).toEqual({ order: 'e', inventory: null, payment: null, shipment: null, notification: 'e' });
  });

  it('yields batches of the given size', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `o-${String(i).padStart(3, '0')}`);
    const batches = await collect(mergeJoin({ order: stream(ids, { pageSize: 7 }).iterable }, { batchSize: 10 }));
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
  });

  it('marks a service whose stream fails as unavailable from there on, and says so once', async () => {
    const failures: Array<[SourceService, string]> = [];
    const batches = await collect(
      mergeJoin(
        { order: stream(['a', 'b', 'c', 'd']).iterable, payment: stream(['a', 'b', 'c', 'd'], { failAtPage: 1 }).iterable },
        { batchSize: 10, onUnavailable: (service, error) => failures.push([service, error.message]) },
      ),
    );
    expect(batches.flat().map((v) => v.services.payment === 'unavailable' ? 'unavailable' : v.services.payment?.orderId)).toEqual([
      'a',
      'b',
      'unavailable',
      'unavailable',
    ]);
    expect(failures).toEqual([['payment', 'connection refused']]);
  });

  it('treats a stream that goes backwards as unavailable rather than joining it wrongly', async () => {
    const failures: SourceService[] = [];
    const backwards = (
      await collect(mergeJoin({ order: stream(['a', 'b', 'c', 'd']).iterable, inventory: stream(['a', 'c', 'b', 'd']).iterable }, {
        batchSize: 10,
        onUnavailable: (service) => failures.push(service),
      }))
    ).flat();
    expect(backwards.map((v) => shape(v)['inventory'])).toEqual(['a', null, 'c', 'unavailable']);
    expect(failures).toEqual(['inventory']);
  });

  it('stays at most one page ahead of the comparison on each stream', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `o-${String(i).padStart(3, '0')}`);
    const source = stream(ids, { pageSize: 10 });
    const generator = mergeJoin({ order: source.iterable }, { batchSize: 5 });
    const first = await generator.next();
    expect(first.value).toHaveLength(5);
    expect(source.calls.pagesServed).toBeLessThanOrEqual(2);
    await generator.return(undefined);
  });

  it('reads each record out of its page only when the join gets to it, and takes a record its page cannot read as the service failing there', async () => {
    const read: string[] = [];
    function* lazyPage(ids: string[]) {
      for (const id of ids) {
        if (id === 'c') throw new Error('item 2 does not follow the contract');
        read.push(id);
        yield record(id);
      }
    }
    const lazy: SortedStream = {
      async *[Symbol.asyncIterator]() {
        yield lazyPage(['a', 'b', 'c', 'd']);
      },
    };
    const failures: Array<[SourceService, string]> = [];
    const generator = mergeJoin({ order: stream(['a', 'b', 'c', 'd']).iterable, payment: lazy }, { batchSize: 1, onUnavailable: (service, error) => failures.push([service, error.message]) });
    const first = await generator.next();
    expect(first.value?.map((v: OrderView) => shape(v)['payment'])).toEqual(['a']);
    // Nothing past the record the batch holds has been read yet.
    expect(read).toEqual(['a']);
    const rest = (await collect(generator)).flat();
    expect(rest.map((v) => shape(v)['payment'])).toEqual(['b', 'unavailable', 'unavailable']);
    expect(failures).toEqual([['payment', 'item 2 does not follow the contract']]);
  });
});
