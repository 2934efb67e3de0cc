import { InvalidInputError } from '@commerce/platform';
import { decodeStockCursor, encodeStockCursor } from './stock-cursor';

describe('stock cursor', () => {
  it('round-trips a position', () => {
    expect(decodeStockCursor(encodeStockCursor({ sku: 'SKU-1', node: 'wh,"odd"' }))).toEqual({ sku: 'SKU-1', node: 'wh,"odd"' });
  });

  it.each(['not-base64-json', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')])(
    'rejects %s as invalid input naming the cursor',
    (cursor) => {
      expect(() => decodeStockCursor(cursor)).toThrow(InvalidInputError);
      try {
        decodeStockCursor(cursor);
      } catch (error) {
        expect((error as InvalidInputError).errors[0].field).toBe('cursor');
      }
    },
  );
});
