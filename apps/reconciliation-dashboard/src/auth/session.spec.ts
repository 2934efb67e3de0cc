import { OperatorDirectory } from './operators';
import { bearerToken, SessionSigner, tokenFingerprint } from './session';

const SECRET = 'a-session-secret-of-32-characters';
const alice = { name: 'alice', token: 'token-a' };
const bob = { name: 'bob', token: 'token-b' };
const operators = new OperatorDirectory([alice, bob]);

function signerAt(now: { ms: number }, secret = SECRET, ttlSeconds = 3600) {
  return new SessionSigner(secret, ttlSeconds, () => now.ms);
}

describe('SessionSigner', () => {
  const now = { ms: Date.parse('2025-06-01T10:00:00Z') };
  const signer = signerAt(now);

  it('accepts the cookie it issued, for the operator it was issued to', () => {
    const cookie = signer.issue(alice);
    expect(signer.verify(cookie, operators)).toEqual({ operator: alice });
  });

  it('keeps the token itself out of the cookie', () => {
    const cookie = signer.issue(alice);
    expect(Buffer.from(cookie.split('.')[0]!, 'base64url').toString()).not.toContain('token-a');
  });

  describe('when the cookie was tampered with', () => {
    it('refuses a body changed to name another operator', () => {
      const [body, signature] = signer.issue(alice).split('.');
      const forged = JSON.parse(Buffer.from(body!, 'base64url').toString());
      forged.operator = 'bob';
      forged.tkn = tokenFingerprint('token-b');
      const cookie = `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
      expect(signer.verify(cookie, operators)).toEqual({ rejected: 'bad-signature' });
    });

    it('refuses a cookie signed with another secret', () => {
      const cookie = signerAt(now, 'another-secret-of-enough-length').issue(alice);
      expect(signer.verify(cookie, operators)).toEqual({ rejected: 'bad-signature' });
    });

    it.each(['', 'no-dot', 'a.b.c', '.sig', 'body.'])('refuses the malformed value %j', (cookie) => {
      expect(signer.verify(cookie, operators)).toHaveProperty('rejected');
    });
  });

  it('refuses a cookie once it has expired', () => {
    const clock = { ms: now.ms };
    const shortLived = signerAt(clock, SECRET, 60);
    const cookie = shortLived.issue(alice);
    clock.ms += 59_000;
    expect(shortLived.verify(cookie, operators)).toEqual({ operator: alice });
    clock.ms += 1_000;
    expect(shortLived.verify(cookie, operators)).toEqual({ rejected: 'expired' });
  });

  it('ends the sessions of an operator removed from the configuration', () => {
    const cookie = signer.issue(alice);
    expect(signer.verify(cookie, new OperatorDirectory([bob]))).toEqual({ rejected: 'unknown-operator' });
  });

  it('ends the sessions of an operator whose token was rotated', () => {
    const cookie = signer.issue(alice);
    expect(signer.verify(cookie, new OperatorDirectory([{ name: 'alice', token: 'token-a2' }, bob]))).toEqual({ rejected: 'token-rotated' });
  });

  it('refuses to work with a short secret', () => {
    expect(() => new SessionSigner('short', 60)).toThrow('at least 16 characters');
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer token-a', 'token-a'],
    ['bearer   token-a ', 'token-a'],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
