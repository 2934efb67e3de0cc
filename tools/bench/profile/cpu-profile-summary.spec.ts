import { placeOf, summarize } from './cpu-profile-summary';

describe('summarize', () => {
  it('sums self time by package, Node module, native code and ours, idle apart', () => {
    const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url } });
    const summary = summarize({
      nodes: [
        frame(1, '(idle)', ''),
        frame(2, 'writev', ''),
        frame(3, 'query', 'file:///repo/node_modules/typeorm/driver/postgres/PostgresQueryRunner.js'),
        frame(4, 'parse', 'file:///repo/node_modules/@nestjs/core/router.js'),
        frame(5, 'reserveStock', 'file:///repo/apps/inventory-service/src/reservations/reservations.service.ts'),
        frame(6, 'emit', 'node:events'),
      ],
      samples: [1, 2, 2, 3, 4, 5, 6],
      timeDeltas: [4e6, 1e6, 1e6, 5e5, 2e5, 1e5, 2e5],
    });
    expect(summary.totalSeconds).toBeCloseTo(7);
    expect(summary.busySeconds).toBeCloseTo(3);
    expect(summary.byPlace).toEqual([
      ['(native)', 2],
      ['typeorm', 0.5],
      ['@nestjs/core', 0.2],
      ['node:events', 0.2],
      ['ours', 0.1],
    ]);
    expect(summary.byFunction[0]).toEqual(['(native) writev', 2]);
  });

  it('names garbage collection and program time as V8 reports them', () => {
    expect(placeOf({ functionName: '(garbage collector)', url: '' })).toBe('(gc)');
    expect(placeOf({ functionName: '(program)', url: '' })).toBe('(program)');
  });
});
