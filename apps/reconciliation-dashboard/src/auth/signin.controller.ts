import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createLogger } from '@commerce/platform';
import { PAGE_SECURITY_HEADERS, signInPage } from '../pages/html';
import { isCrossSiteWrite, safeReturnPath, SignInThrottle } from './access-policy';
import { sendProblem } from './auth.middleware';
import { AuthService } from './auth.service';
import { SESSION_COOKIE } from './session';

const FAILED = 'That operator name and token do not match an operator of this dashboard.';

/** Sign-in and sign-out: the only pages served without a session. */
@ApiExcludeController()
@Controller()
export class SignInController {
  private readonly logger = createLogger('reconciliation-dashboard');
  private readonly throttle = new SignInThrottle();

  constructor(private readonly auth: AuthService) {}

  @Get('signin')
  page(@Query('next') next: unknown, @Req() request: Request, @Res() response: Response): void {
    const returnTo = safeReturnPath(next);
    const signedIn = this.auth.identify({ cookies: request.cookies as Record<string, string | undefined> });
    if (signedIn) {
      response.redirect(303, returnTo);
      return;
    }
    response.set(PAGE_SECURITY_HEADERS).type('html').send(signInPage({ next: returnTo }));
  }

  /** Accepts the page's form (urlencoded) or JSON `{ name?, token }`. */
  @Post('signin')
  signIn(@Body() body: unknown, @Req() request: Request, @Res() response: Response): void {
    const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const token = typeof form['token'] === 'string' ? form['token'].trim() : '';
    const name = typeof form['name'] === 'string' ? form['name'].trim() : '';
    const next = safeReturnPath(form['next']);
    const asJson = request.is('application/json') === 'application/json';
    const address = request.ip ?? 'unknown';

    const refuse = (status: number, message: string) => {
      if (asJson) return sendProblem(response, status, status === 429 ? 'too-many-sign-ins' : 'sign-in-failed', 'Sign-in failed', message);
      response.status(status).set(PAGE_SECURITY_HEADERS).type('html').send(signInPage({ next, error: message, name }));
    };

    if (isCrossSiteWrite('POST', request.headers.origin, request.headers.host)) return refuse(403, 'Sign in from the dashboard itself.');
    if (this.throttle.isBlocked(address)) return refuse(429, 'Too many failed sign-ins from this address. Wait a few minutes and try again.');
    const result = token ? this.auth.signIn(token, name || undefined) : undefined;
    if (!result) {
      this.throttle.recordFailure(address);
      this.logger.warn({ address, name: name || undefined }, 'dashboard sign-in failed');
      return refuse(401, token ? FAILED : 'Enter your token.');
    }
    this.throttle.recordSuccess(address);
    this.logger.info({ operator: result.operator.name, address }, 'operator signed in to the dashboard');
    response.cookie(SESSION_COOKIE, result.cookie, this.auth.cookieOptions());
    if (asJson) {
      response.status(200).json({ operator: result.operator.name });
      return;
    }
    response.redirect(303, next);
  }

  @Post('signout')
  signOut(@Res() response: Response): void {
    const { maxAge: _maxAge, ...options } = this.auth.cookieOptions();
    response.clearCookie(SESSION_COOKIE, options);
    response.redirect(303, '/signin');
  }
}
