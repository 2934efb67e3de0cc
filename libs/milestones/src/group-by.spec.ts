import { groupBy } from './group-by';

describe('groupBy', () => {
  it('groups rows by key, keeping their order within each group', () => {
    const rows = [
      { order: 'a', n: 1 },
      { order: 'b', n: 2 },
      { order: 'a', n: 3 },
    ];
    expect(groupBy(rows, (row) => row.order)).toEqual(
      new Map([
        ['a', [rows[0], rows[2]]],
        ['b', [rows[1]]],
      ]),
    );
    expect(groupBy([], (row: { order: string }) => row.order).size).toBe(0);
  });
});
