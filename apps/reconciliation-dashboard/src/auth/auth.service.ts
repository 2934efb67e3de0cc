import { Inject, Injectable } from '@nestjs/common';
import type { DashboardConfig } from '../config';
import { DASHBOARD_CONFIG } from '../tokens';
import { type Operator, OperatorDirectory } from './operators';
import { bearerToken, SESSION_COOKIE, SessionSigner } from './session';

/** The parts of a request authentication looks at. */
export interface Credentials {
  authorization?: string;
  cookies?: Record<string, string | undefined>;
}

/** How the caller proved who they are: a session cookie (browser) or a bearer token (scripts). */
export type AuthenticatedBy = 'session' | 'bearer';

/** Who may use the dashboard, and how a request proves it. */
@Injectable()
export class AuthService {
  readonly operators: OperatorDirectory;
  private readonly signer: SessionSigner;
  readonly sessionSeconds: number;

  constructor(@Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig) {
    this.operators = new OperatorDirectory(config.DASHBOARD_OPERATORS);
    this.sessionSeconds = Math.round(config.DASHBOARD_SESSION_HOURS * 3600);
    this.signer = new SessionSigner(config.DASHBOARD_SESSION_SECRET, this.sessionSeconds);
  }

  /**
   * The operator behind a request. A bearer header is decisive when present (a wrong token is
   * not rescued by a cookie); otherwise the session cookie is checked.
   */
  identify(credentials: Credentials): { operator: Operator; by: AuthenticatedBy } | undefined {
    if (credentials.authorization !== undefined) {
      const token = bearerToken(credentials.authorization);
      const operator = token ? this.operators.authenticate(token) : undefined;
      return operator ? { operator, by: 'bearer' } : undefined;
    }
    const cookie = credentials.cookies?.[SESSION_COOKIE];
    if (!cookie) return undefined;
    const verdict = this.signer.verify(cookie, this.operators);
    return 'operator' in verdict ? { operator: verdict.operator, by: 'session' } : undefined;
  }

  /** Signs an operator in with their token (and, optionally, their name). */
  signIn(token: string, name?: string): { operator: Operator; cookie: string } | undefined {
    const operator = this.operators.authenticate(token, name);
    return operator ? { operator, cookie: this.signer.issue(operator) } : undefined;
  }

  cookieOptions() {
    return {
      httpOnly: true,
      sameSite: 'strict' as const,
      secure: this.config.DASHBOARD_SECURE_COOKIE,
      path: '/',
      maxAge: this.sessionSeconds * 1000,
    };
  }
}
