import { attributeBody, upstreamPath } from './reconciliation-proxy';

describe('upstreamPath', () => {
  it.each([
    ['/api/runs', '/runs'],
    ['/api/runs/7f0c', '/runs/7f0c'],
    ['/api/cases', '/cases'],
    ['/api/cases/abc/resolve', '/cases/abc/resolve'],
    ['/api/rules', '/rules'],
    ['/api/stats', '/stats'],
    ['/api/orders/0b6f2c1e-order', '/orders/0b6f2c1e-order'],
    ['/api/orders/o-1/check', '/orders/o-1/check'],
    ['/api/pipes', '/pipes'],
    ['/api/webhooks/deliveries', '/webhooks/deliveries'],
    ['/api/webhooks/deliveries/d-1/redeliver', '/webhooks/deliveries/d-1/redeliver'],
  ])('forwards %s as %s', (path, upstream) => {
    expect(upstreamPath(path)).toBe(upstream);
  });

  it.each(['/api', '/api/', '/api/health', '/api/metrics', '/api/docs', '/api/cases/../health', '/api/cases/%2e%2e/health', '/api/cases/a%2Fb', '/api/cases/%E0%A4%A', '/other/cases'])(
    'refuses %s',
    (path) => {
      expect(upstreamPath(path)).toBeUndefined();
    },
  );
});

describe('attributeBody', () => {
  it.each(['resolve', 'dismiss', 'reopen', 'retry-repair'])('writes the signed-in operator as the actor of a case %s', (action) => {
    expect(attributeBody(`/cases/c-1/${action}`, { note: 'n' }, 'alice')).toEqual({ note: 'n', actor: 'alice' });
  });

  it('writes the signed-in operator as the actor of a dead letters replay', () => {
    expect(attributeBody('/pipes/payment/dead-letters/replay', { ids: ['1'], reason: 'r' }, 'alice')).toEqual({ ids: ['1'], reason: 'r', actor: 'alice' });
  });

  it('writes the signed-in operator as the actor of a webhook redelivery', () => {
    expect(attributeBody('/webhooks/deliveries/d-1/redeliver', { reason: 'r', actor: 'mallory' }, 'alice')).toEqual({ reason: 'r', actor: 'alice' });
  });

  it('writes the signed-in operator as the actor of a bulk action', () => {
    expect(attributeBody('/cases/bulk', { action: 'resolve', dryRun: false, caseIds: ['c-1'], note: 'n', actor: 'mallory' }, 'alice')).toMatchObject({ actor: 'alice' });
  });

  it('replaces the actor the browser sent', () => {
    expect(attributeBody('/cases/c-1/resolve', { note: 'refunded by hand', actor: 'mallory' }, 'alice')).toEqual({ note: 'refunded by hand', actor: 'alice' });
  });

  it('writes the signed-in operator as who requested a run, replacing what the browser sent', () => {
    expect(attributeBody('/runs', { kind: 'full' }, 'alice')).toEqual({ kind: 'full', requestedBy: 'alice' });
    expect(attributeBody('/runs', { kind: 'full', requestedBy: 'mallory' }, 'alice')).toEqual({ kind: 'full', requestedBy: 'alice' });
  });

  it('overwrites identity fields on any other path too, and adds none', () => {
    expect(attributeBody('/cases/c-1/other', { actor: 'mallory' }, 'alice')).toEqual({ actor: 'alice' });
    expect(attributeBody('/cases/c-1/other', { x: 1 }, 'alice')).toEqual({ x: 1 });
  });

  it('starts from an empty object when there was no body', () => {
    expect(attributeBody('/cases/c-1/retry-repair', undefined, 'alice')).toEqual({ actor: 'alice' });
  });
});
