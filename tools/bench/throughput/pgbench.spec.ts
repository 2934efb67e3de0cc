import { parsePgbenchTps } from './pgbench';

describe('parsePgbenchTps', () => {
  it("reads the tps without the initial connection time from pgbench's summary", () => {
    const output = [
      'transaction type: <builtin: TPC-B (sort of)>',
      'number of clients: 4',
      'latency average = 2.875 ms',
      'initial connection time = 8.123 ms',
      'tps = 1391.304348 (without initial connection time)',
    ].join('\n');
    expect(parsePgbenchTps(output)).toBeCloseTo(1391.304348);
  });

  it('fails loudly on output without a summary', () => {
    expect(() => parsePgbenchTps('pgbench: error: connection failed')).toThrow("no tps in pgbench's output");
  });
});
