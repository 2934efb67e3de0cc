import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { AuthMiddleware } from './auth.middleware';

/**
 * Puts AuthMiddleware in front of the whole Express app, as its first handler, while the module
 * is being instantiated. Nest's own middleware would only run after the routes registered before
 * `app.init()` (bootstrapService's OpenAPI pages at /docs), and bull-board is mounted outside
 * Nest's router: being first is what makes "every route needs a session" true.
 */
@Injectable()
export class AccessGate {
  constructor(adapterHost: HttpAdapterHost, auth: AuthMiddleware) {
    const adapter = adapterHost.httpAdapter;
    // Fail closed: without an HTTP adapter (Test.createTestingModule before createNestApplication) nothing would be gated.
    if (!adapter) throw new Error('AccessGate needs the HTTP adapter at construction: create the app with NestFactory.create');
    const app = adapter.getInstance<{ use(...handlers: unknown[]): void; disable(setting: string): void }>();
    app.disable('x-powered-by');
    app.use(cookieParser(), baselineHeaders, (request: Request, response: Response, next: NextFunction) => auth.use(request, response, next));
  }
}

/** Headers every answer carries, public ones included. */
function baselineHeaders(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'same-origin');
  next();
}
