import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MilestonesQuery, parseMilestonesQuery } from './milestones-query';
import { encodeCursor, InvalidInputError } from '@commerce/platform';

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
    expect(parseMilestonesQuery({ orderIds: 'a, b,,a' })).toEqual({ kind: 'orders', orderIds: ['a', 'b'] });
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
    expect(parseMilestonesQuery({ afterOrderId: '' })).toMatchObject({ limit: 500 });
  });

  it('names every selecting parameter when none is given', () => {
    expect(fieldsOf(() => parseMilestonesQuery({}))).toEqual(['orderIds', 'updatedSince', 'afterOrderId']);
    expect(fieldsOf(() => parseMilestonesQuery({ fromStart: false, limit: 10 }))).toEqual(['orderIds', 'updatedSince', 'afterOrderId']);
  });

  it('refuses more than 1000 orderIds', () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `o-${i}`).join(',');
    expect(fieldsOf(() => parseMilestonesQuery({ orderIds: ids }))).toEqual(['orderIds']);
    const exactly = Array.from({ length: 1000 }, (_, i) => `o-${i}`).join(',');
    expect(parseMilestonesQuery({ orderIds: `${exactly},o-0` })).toMatchObject({ kind: 'orders', orderIds: expect.any(Array) });
  });

  it('refuses an empty list and a foreign cursor', () => {
    expect(fieldsOf(() => parseMilestonesQuery({ orderIds: ' , ' }))).toEqual(['orderIds']);
    expect(fieldsOf(() => parseMilestonesQuery({ orderIds: '' }))).toEqual(['orderIds']);
    expect(fieldsOf(() => parseMilestonesQuery({ updatedSince: '2025-01-01T00:00:00Z', cursor: 'nope' }))).toEqual(['cursor']);
  });

  it('refuses two modes at once, naming both', () => {
    expect(fieldsOf(() => parseMilestonesQuery({ orderIds: 'a', updatedSince: '2025-01-01T00:00:00Z' }))).toEqual(['orderIds', 'updatedSince']);
    expect(fieldsOf(() => parseMilestonesQuery({ updatedSince: '2025-01-01T00:00:00Z', afterOrderId: '' }))).toEqual(['updatedSince', 'afterOrderId']);
    expect(fieldsOf(() => parseMilestonesQuery({ orderIds: 'a', fromStart: true }))).toEqual(['orderIds', 'fromStart']);
  });

  it('refuses a cursor outside an updatedSince scan', () => {
    const cursor = encodeCursor({ at: '2025-01-15T10:00:00.123456Z', id: 'o-1' });
    expect(fieldsOf(() => parseMilestonesQuery({ orderIds: 'a', cursor }))).toEqual(['cursor']);
    expect(fieldsOf(() => parseMilestonesQuery({ afterOrderId: 'a', cursor }))).toEqual(['cursor']);
    expect(fieldsOf(() => parseMilestonesQuery({ cursor }))).toEqual(['orderIds', 'updatedSince', 'afterOrderId']);
  });

  describe('the orderId range (full scans)', () => {
    it('starts after the given orderId', () => {
      expect(parseMilestonesQuery({ afterOrderId: 'order-0042', limit: 1000 })).toEqual({ kind: 'range', afterOrderId: 'order-0042', limit: 1000 });
    });

    it('starts at the first orderId for an empty afterOrderId or fromStart=true', () => {
      expect(parseMilestonesQuery({ afterOrderId: '', limit: 3 })).toEqual({ kind: 'range', afterOrderId: null, limit: 3 });
      expect(parseMilestonesQuery({ fromStart: true })).toEqual({ kind: 'range', afterOrderId: null, limit: 500 });
      expect(parseMilestonesQuery({ fromStart: true, afterOrderId: '' })).toEqual({ kind: 'range', afterOrderId: null, limit: 500 });
    });

    it('takes pages of up to 5000 orders, where an updatedSince page stops at 1000', () => {
      expect(parseMilestonesQuery({ afterOrderId: '', limit: 5000 })).toEqual({ kind: 'range', afterOrderId: null, limit: 5000 });
      expect(parseMilestonesQuery({ updatedSince: '2025-01-01T00:00:00Z', limit: 1000 })).toMatchObject({ kind: 'changes', limit: 1000 });
      expect(fieldsOf(() => parseMilestonesQuery({ updatedSince: '2025-01-01T00:00:00Z', limit: 1001 }))).toEqual(['limit']);
    });

    it('refuses fromStart=true with a position', () => {
      expect(fieldsOf(() => parseMilestonesQuery({ fromStart: true, afterOrderId: 'o-1' }))).toEqual(['fromStart', 'afterOrderId']);
    });
  });

  it('asks for the compact form in any mode when told, and for the full form otherwise', () => {
    expect(parseMilestonesQuery({ afterOrderId: '', limit: 5000, format: 'compact' })).toEqual({ kind: 'range', afterOrderId: null, limit: 5000, format: 'compact' });
    expect(parseMilestonesQuery({ orderIds: 'a', format: 'compact' })).toEqual({ kind: 'orders', orderIds: ['a'], format: 'compact' });
    expect(parseMilestonesQuery({ orderIds: 'a', format: 'full' })).not.toHaveProperty('format');
    expect(parseMilestonesQuery({ orderIds: 'a' })).not.toHaveProperty('format');
  });
});

describe('MilestonesQuery (the DTO behind the validation pipe)', () => {
  const read = (query: Record<string, string>) => {
    const dto = plainToInstance(MilestonesQuery, query);
    return { dto, fields: validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }).map((error) => error.property) };
  };

  it('turns the query strings into a limit and a fromStart flag', () => {
    expect(read({ afterOrderId: '', limit: '1000' })).toEqual({ dto: { afterOrderId: '', limit: 1000 }, fields: [] });
    expect(read({ fromStart: 'true' })).toEqual({ dto: { fromStart: true }, fields: [] });
  });

  it('names a malformed field', () => {
    expect(read({ updatedSince: 'yesterday' }).fields).toEqual(['updatedSince']);
    expect(read({ updatedSince: '2025-01-01T00:00:00Z', limit: '5001' }).fields).toEqual(['limit']);
    expect(read({ afterOrderId: '', limit: '5000' }).fields).toEqual([]);
    expect(read({ afterOrderId: '', limit: '0' }).fields).toEqual(['limit']);
    expect(read({ fromStart: 'yes' }).fields).toEqual(['fromStart']);
    expect(read({ orderIds: 'a', sort: 'desc' }).fields).toEqual(['sort']);
    expect(read({ orderIds: 'a', format: 'xml' }).fields).toEqual(['format']);
    expect(read({ orderIds: 'a', format: 'compact' }).fields).toEqual([]);
  });
});
