import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { isCrossSiteWrite, isPublicRoute, wantsSignInPage } from './access-policy';
import { AuthService } from './auth.service';
import type { Operator } from './operators';

/** The signed-in operator of a request (set by AuthMiddleware). */
export function operatorOf(response: Response): Operator {
  const operator = (response.locals as { operator?: Operator }).operator;
  if (!operator) throw new Error('no operator on this request: is AuthMiddleware applied to the route?');
  return operator;
}

/** The path of a request, whatever prefix the middleware was mounted under. */
export function requestPath(request: Request): string {
  return new URL(request.originalUrl, 'http://dashboard.invalid').pathname;
}

/**
 * The one gate in front of everything: pages, /api, /queues (bull-board) and any route added
 * later need a signed-in operator, except the few public routes of the access policy.
 */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(private readonly auth: AuthService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const path = requestPath(request);
    if (isPublicRoute(request.method, path)) return next();

    const identity = this.auth.identify({
      authorization: request.headers.authorization,
      cookies: request.cookies as Record<string, string | undefined> | undefined,
    });
    if (!identity) {
      if (wantsSignInPage(request.method, path, request.headers.accept)) {
        response.redirect(303, `/signin?next=${encodeURIComponent(request.originalUrl)}`);
        return;
      }
      sendProblem(response, 401, 'unauthenticated', 'Sign-in required', 'Sign in at /signin, or send Authorization: Bearer <operator token>.', {
        'WWW-Authenticate': 'Bearer realm="reconciliation-dashboard"',
      });
      return;
    }
    if (identity.by === 'session' && isCrossSiteWrite(request.method, request.headers.origin, request.headers.host)) {
      sendProblem(response, 403, 'cross-site-request', 'Cross-site request refused', 'This action must be sent from the dashboard itself.');
      return;
    }
    response.locals['operator'] = identity.operator;
    next();
  }
}

/** A problem-details answer sent from middleware (the exception filter only sees controllers). */
export function sendProblem(
  response: Response,
  status: number,
  type: string,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: `https://commerce-backbone.dev/problems/${type}`, title, status, detail }));
}
