import { planCommit, planRelease, type ReservationLineState, statusOf, toEventLines, withChanges } from './reservation-rules';

const line = (lineNo: number, sku: string, node: string, quantity: number, committed = 0, released = 0): ReservationLineState => ({
  lineNo,
  sku,
  node,
  quantity,
  committedQuantity: committed,
  releasedQuantity: released,
});

const mugBerlin = line(0, 'MUG', 'wh-berlin', 2);
const teeHamburg = line(1, 'TEE', 'wh-hamburg', 1);

describe('planRelease', () => {
  it('releases every held unit of a reserved reservation', () => {
    expect(planRelease('RESERVED', [mugBerlin, teeHamburg])).toEqual({
      apply: true,
      changes: [
        { lineNo: 0, sku: 'MUG', node: 'wh-berlin', quantity: 2 },
        { lineNo: 1, sku: 'TEE', node: 'wh-hamburg', quantity: 1 },
      ],
    });
  });

  it('releases only what is not committed yet', () => {
    expect(planRelease('PARTIALLY_COMMITTED', [line(0, 'MUG', 'wh-berlin', 2, 2), teeHamburg])).toEqual({
      apply: true,
      changes: [{ lineNo: 1, sku: 'TEE', node: 'wh-hamburg', quantity: 1 }],
    });
  });

  it.each(['RELEASED', 'COMMITTED', 'REJECTED'] as const)('does nothing when the reservation is %s', (status) => {
    expect(planRelease(status, [mugBerlin])).toEqual({ apply: false, why: `reservation is ${status}` });
  });
});

describe('planCommit', () => {
  const shipment = { shipmentId: 'shp_1', node: 'wh-berlin', lines: [{ sku: 'MUG', quantity: 2 }] };

  it("commits the shipment's lines at its node", () => {
    expect(planCommit('RESERVED', [mugBerlin, teeHamburg], shipment, new Set())).toEqual({
      apply: true,
      changes: [{ lineNo: 0, sku: 'MUG', node: 'wh-berlin', quantity: 2 }],
    });
  });

  it('does nothing for a shipment committed before', () => {
    expect(planCommit('PARTIALLY_COMMITTED', [mugBerlin], shipment, new Set(['shp_1']))).toEqual({
      apply: false,
      why: 'shipment already committed',
    });
  });

  it('does nothing for a released reservation', () => {
    expect(planCommit('RELEASED', [line(0, 'MUG', 'wh-berlin', 2, 0, 2)], shipment, new Set())).toMatchObject({ apply: false });
  });

  it('ignores held units of the same SKU at another node', () => {
    const plan = planCommit('RESERVED', [line(0, 'MUG', 'wh-hamburg', 2)], shipment, new Set());
    expect(plan).toEqual({ apply: false, why: "no units held at wh-berlin for the shipment's lines" });
  });

  it('spreads one shipment line over several reservation lines of the same SKU and node', () => {
    const plan = planCommit(
      'RESERVED',
      [line(0, 'MUG', 'wh-berlin', 1), line(1, 'MUG', 'wh-berlin', 3)],
      { shipmentId: 's', node: 'wh-berlin', lines: [{ sku: 'MUG', quantity: 3 }] },
      new Set(),
    );
    expect(plan).toEqual({
      apply: true,
      changes: [
        { lineNo: 0, sku: 'MUG', node: 'wh-berlin', quantity: 1 },
        { lineNo: 1, sku: 'MUG', node: 'wh-berlin', quantity: 2 },
      ],
    });
  });

  it('never commits more than is held', () => {
    const plan = planCommit('RESERVED', [mugBerlin], { ...shipment, lines: [{ sku: 'MUG', quantity: 5 }] }, new Set());
    expect(plan).toEqual({ apply: true, changes: [{ lineNo: 0, sku: 'MUG', node: 'wh-berlin', quantity: 2 }] });
  });
});

describe('statusOf', () => {
  it('follows the lines through partial and full commit', () => {
    const lines = [mugBerlin, teeHamburg];
    expect(statusOf(lines)).toBe('RESERVED');
    const afterBerlin = withChanges(lines, [{ lineNo: 0, sku: 'MUG', node: 'wh-berlin', quantity: 2 }], 'commit');
    expect(statusOf(afterBerlin)).toBe('PARTIALLY_COMMITTED');
    const afterHamburg = withChanges(afterBerlin, [{ lineNo: 1, sku: 'TEE', node: 'wh-hamburg', quantity: 1 }], 'commit');
    expect(statusOf(afterHamburg)).toBe('COMMITTED');
  });

  it('ends RELEASED once nothing is held and something was released', () => {
    expect(statusOf([line(0, 'MUG', 'wh-berlin', 2, 2), line(1, 'TEE', 'wh-hamburg', 1, 0, 1)])).toBe('RELEASED');
  });
});

describe('toEventLines', () => {
  it('merges changes per SKU and node', () => {
    expect(
      toEventLines([
        { sku: 'MUG', node: 'a', quantity: 1 },
        { sku: 'MUG', node: 'a', quantity: 2 },
        { sku: 'MUG', node: 'b', quantity: 1 },
      ]),
    ).toEqual([
      { sku: 'MUG', quantity: 3, node: 'a' },
      { sku: 'MUG', quantity: 1, node: 'b' },
    ]);
  });
});
