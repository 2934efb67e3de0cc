import path from 'node:path';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { operatorOf, requestPath, sendProblem } from '../auth/auth.middleware';
import type { DashboardConfig } from '../config';
import { DASHBOARD_CONFIG } from '../tokens';
import { PAGE_SECURITY_HEADERS } from './html';

/** The browser app: plain HTML, CSS and ES modules from apps/reconciliation-dashboard/public. */
export const PUBLIC_DIR = path.resolve(__dirname, '../../public');

const ASSET_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves the one-page app and its files (AuthMiddleware has already checked the session). */
@ApiExcludeController()
@Controller()
export class PagesController {
  constructor(@Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig) {}

  @Get()
  app(@Res() response: Response): void {
    response.set(PAGE_SECURITY_HEADERS).sendFile('index.html', { root: PUBLIC_DIR });
  }

  @Get('assets/*path')
  asset(@Req() request: Request, @Res() response: Response): void {
    const relative = requestPath(request).slice('/'.length);
    const type = ASSET_TYPES[path.extname(relative)];
    if (!type) return sendProblem(response, 404, 'not-found', 'Not found', `${relative} is not a dashboard file`);
    // `root` makes send refuse anything resolving outside PUBLIC_DIR (../ and encoded variants).
    response.sendFile(relative, { root: PUBLIC_DIR, dotfiles: 'deny', headers: { 'Content-Type': type, 'Cache-Control': 'no-cache' } }, (error) => {
      if (error && !response.headersSent) sendProblem(response, 404, 'not-found', 'Not found', `${relative} is not a dashboard file`);
    });
  }

  /** Who is signed in (the page shows it, and knows whose name goes into the audit trail), and where traces are. */
  @Get('ui-api/session')
  session(@Res({ passthrough: true }) response: Response): { operator: string; tracesUrl: string | null } {
    response.set('Cache-Control', 'no-store');
    return { operator: operatorOf(response).name, tracesUrl: this.config.DASHBOARD_TRACES_URL?.replace(/\/+$/, '') ?? null };
  }
}
