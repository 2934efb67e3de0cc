import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('canonicalJson', () => {
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 'z' } })).toBe('{"a":{"c":"z","d":[{"x":2,"y":1}]},"b":1}');
  });

  it('leaves out undefined members but keeps nulls', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('keeps the order of arrays', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same body sent with its keys in another order', () => {
    expect(requestFingerprint({ currency: 'EUR', customerId: 'c1' })).toBe(requestFingerprint({ customerId: 'c1', currency: 'EUR' }));
  });

  it('differs when any value differs', () => {
    expect(requestFingerprint({ lines: [{ sku: 'A', quantity: 1 }] })).not.toBe(requestFingerprint({ lines: [{ sku: 'A', quantity: 2 }] }));
  });
});
