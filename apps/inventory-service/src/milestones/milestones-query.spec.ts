import { encodeCursor, InvalidInputError } from '@commerce/platform';
import { parseMilestonesQuery } from './milestones-query';

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).errors.map((problem) => problem.field);
  }
  throw new Error('expected an InvalidInputError');
}

describe('parseMilestonesQuery', () => {
  it('reads a comma-separated list of orderIds, trimmed and deduplicated', () => {
    expect(parseMilestonesQuery({ orderIds: 'a, b,,a' })).toEqual({ kind: 'orders', orderIds: ['a', 'b'], updatedSince: null });
  });

  it('pages an updatedSince scan from the cursor', () => {
    const cursor = encodeCursor({ at: '2025-01-15T10:00:00.123456Z', id: 'o-1' });
    expect(parseMilestonesQuery({ updatedSince: '2025-01-01T00:00:00Z', cursor, limit: 10 })).toEqual({
      kind: 'changes',
      updatedSince: '2025-01-01T00:00:00Z',
      after: { at: '2025-01-15T10:00:00.123456Z', id: 'o-1' },
      limit: 10,
    });
  });

  it('defaults the page size to 500', () => {
    expect(parseMilestonesQuery({ updatedSince: '2025-01-01T00:00:00Z' })).toMatchObject({ limit: 500, after: null });
  });

  it('names both parameters when neither is given', () => {
    expect(fieldsOf(() => parseMilestonesQuery({}))).toEqual(['orderIds', 'updatedSince']);
  });

  it('refuses more than 1000 orderIds', () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `o-${i}`).join(',');
    expect(fieldsOf(() => parseMilestonesQuery({ orderIds: ids }))).toEqual(['orderIds']);
  });

  it('refuses an empty list and a foreign cursor', () => {
    expect(fieldsOf(() => parseMilestonesQuery({ orderIds: ' , ' }))).toEqual(['orderIds']);
    expect(fieldsOf(() => parseMilestonesQuery({ updatedSince: '2025-01-01T00:00:00Z', cursor: 'nope' }))).toEqual(['cursor']);
  });
});
