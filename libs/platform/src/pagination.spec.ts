import { decodeCursor, encodeCursor, keysetPage } from './pagination';
import { InvalidInputError } from './problem-details';

describe('keyset cursor', () => {
  it('round-trips a position to the microsecond', () => {
    const position = { at: '2025-01-15T10:00:00.123456Z', id: 'o-1' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('refuses a cursor it did not issue, naming the field', () => {
    expect(() => decodeCursor('nope', 'after')).toThrow(InvalidInputError);
    try {
      decodeCursor('nope', 'after');
    } catch (error) {
      expect((error as InvalidInputError).errors).toEqual([{ field: 'after', message: 'is not a cursor this service issued' }]);
    }
  });
});

describe('keysetPage', () => {
  const cursorAfter = (last: string) => `after:${last}`;

  it('keeps `limit` rows and points after the last one when the extra row says more follow', () => {
    expect(keysetPage(['a', 'b', 'c'], 2, cursorAfter)).toEqual({ rows: ['a', 'b'], nextCursor: 'after:b' });
  });

  it('ends the scan on a page that is not over the limit', () => {
    expect(keysetPage(['a', 'b'], 2, cursorAfter)).toEqual({ rows: ['a', 'b'], nextCursor: null });
    expect(keysetPage([], 2, cursorAfter)).toEqual({ rows: [], nextCursor: null });
  });
});
