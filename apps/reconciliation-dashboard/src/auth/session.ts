import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Operator, OperatorDirectory } from './operators';

/** The name of the HttpOnly cookie holding a signed session. */
export const SESSION_COOKIE = 'recon_session';

/** What a session cookie says, once its signature has been checked. */
export interface Session {
  /** The operator's name (what the audit trail shows). */
  operator: string;
  /** Issued at, epoch seconds. */
  iat: number;
  /** Expires at, epoch seconds. */
  exp: number;
  /** A fingerprint of the operator's token at sign-in: rotating the token ends their sessions. */
  tkn: string;
}

export type SessionRejection = 'malformed' | 'bad-signature' | 'expired' | 'unknown-operator' | 'token-rotated';

/**
 * Issues and checks session cookies: `<base64url JSON>.<base64url HMAC-SHA256>`. Stateless, so
 * sessions survive a restart; they end at `exp`, when the operator is removed from
 * DASHBOARD_OPERATORS, or when their token changes.
 */
export class SessionSigner {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: () => number = () => Date.now(),
  ) {
    if (secret.length < 16) throw new Error('the session secret must be at least 16 characters');
  }

  issue(operator: Operator): string {
    const iat = Math.floor(this.clock() / 1000);
    const session: Session = { operator: operator.name, iat, exp: iat + this.ttlSeconds, tkn: tokenFingerprint(operator.token) };
    const body = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The operator the cookie belongs to, or why it is not accepted. */
  verify(cookie: string, operators: OperatorDirectory): { operator: Operator } | { rejected: SessionRejection } {
    const dot = cookie.indexOf('.');
    if (dot <= 0 || dot !== cookie.lastIndexOf('.')) return { rejected: 'malformed' };
    const body = cookie.slice(0, dot);
    const given = Buffer.from(cookie.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { rejected: 'bad-signature' };
    let session: Partial<Session>;
    try {
      session = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Session>;
    } catch {
      // Signed by us but not JSON: only possible if the format changed; treat it as unusable.
      return { rejected: 'malformed' };
    }
    if (typeof session.operator !== 'string' || typeof session.exp !== 'number' || typeof session.tkn !== 'string') {
      return { rejected: 'malformed' };
    }
    if (session.exp * 1000 <= this.clock()) return { rejected: 'expired' };
    const operator = operators.named(session.operator);
    if (!operator) return { rejected: 'unknown-operator' };
    if (tokenFingerprint(operator.token) !== session.tkn) return { rejected: 'token-rotated' };
    return { operator };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

/** A short one-way fingerprint of a token (never the token itself in the cookie). */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(`recon-dashboard:${token}`).digest('base64url').slice(0, 16);
}

/** The bearer token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
