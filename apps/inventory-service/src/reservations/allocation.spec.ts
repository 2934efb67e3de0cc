import { allocateLines } from './allocation';

describe('allocateLines', () => {
  it('takes each line from the first node, alphabetically, that has the whole quantity', () => {
    const result = allocateLines(
      [{ sku: 'MUG', quantity: 2 }],
      [
        { sku: 'MUG', node: 'wh-hamburg', available: 5 },
        { sku: 'MUG', node: 'wh-berlin', available: 5 },
      ],
    );
    expect(result).toEqual({ outcome: 'reserved', lines: [{ sku: 'MUG', quantity: 2, node: 'wh-berlin' }] });
  });

  it('skips a node that cannot serve the whole line instead of splitting it', () => {
    const result = allocateLines(
      [{ sku: 'MUG', quantity: 3 }],
      [
        { sku: 'MUG', node: 'a-node', available: 2 },
        { sku: 'MUG', node: 'b-node', available: 3 },
      ],
    );
    expect(result).toEqual({ outcome: 'reserved', lines: [{ sku: 'MUG', quantity: 3, node: 'b-node' }] });
  });

  it('lets the lines of one order come from different nodes', () => {
    const result = allocateLines(
      [
        { sku: 'MUG', quantity: 2 },
        { sku: 'TEE', quantity: 1 },
      ],
      [
        { sku: 'MUG', node: 'wh-berlin', available: 2 },
        { sku: 'TEE', node: 'wh-berlin', available: 0 },
        { sku: 'TEE', node: 'wh-hamburg', available: 1 },
      ],
    );
    expect(result).toEqual({
      outcome: 'reserved',
      lines: [
        { sku: 'MUG', quantity: 2, node: 'wh-berlin' },
        { sku: 'TEE', quantity: 1, node: 'wh-hamburg' },
      ],
    });
  });

  it('counts what earlier lines of the same order already took', () => {
    const result = allocateLines(
      [
        { sku: 'MUG', quantity: 2 },
        { sku: 'MUG', quantity: 2 },
      ],
      [
        { sku: 'MUG', node: 'a', available: 3 },
        { sku: 'MUG', node: 'b', available: 2 },
      ],
    );
    expect(result).toEqual({
      outcome: 'reserved',
      lines: [
        { sku: 'MUG', quantity: 2, node: 'a' },
        { sku: 'MUG', quantity: 2, node: 'b' },
      ],
    });
  });

  it('rejects the whole order when one line cannot be served, reporting availability summed over nodes', () => {
    const result = allocateLines(
      [
        { sku: 'MUG', quantity: 1 },
        { sku: 'TEE', quantity: 4 },
        { sku: 'CAP', quantity: 1 },
      ],
      [
        { sku: 'MUG', node: 'a', available: 9 },
        { sku: 'TEE', node: 'a', available: 2 },
        { sku: 'TEE', node: 'b', available: 3 },
      ],
    );
    expect(result).toEqual({
      outcome: 'rejected',
      reason: 'insufficient-stock',
      unavailable: [
        { sku: 'TEE', requested: 4, available: 5 },
        { sku: 'CAP', requested: 1, available: 0 },
      ],
    });
  });

  it('never treats negative availability as stock', () => {
    const result = allocateLines([{ sku: 'MUG', quantity: 1 }], [{ sku: 'MUG', node: 'a', available: -3 }]);
    expect(result).toEqual({
      outcome: 'rejected',
      reason: 'insufficient-stock',
      unavailable: [{ sku: 'MUG', requested: 1, available: 0 }],
    });
  });

  it('orders node names by code point, not by locale', () => {
    const result = allocateLines(
      [{ sku: 'MUG', quantity: 1 }],
      [
        { sku: 'MUG', node: 'b', available: 1 },
        { sku: 'MUG', node: 'B', available: 1 },
      ],
    );
    expect(result).toMatchObject({ lines: [{ node: 'B' }] });
  });
});
