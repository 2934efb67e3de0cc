import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { bootstrapService, loadConfig } from '@commerce/platform';
import { AppModule } from '../../src/app.module';
import { configSchema } from '../../src/config';

export const OPERATORS = 'alice:token-alice-1,bob:token-bob-22';
export const SESSION_SECRET = 'integration-test-session-secret';
/** The key sent to the reconciliation service unless a suite gives its own (`RECONCILIATION_API_KEY`). */
export const RECONCILIATION_API_KEY = 'integration-test-reconciliation-key';

export interface RunningDashboard {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** The dashboard as it runs in production (bootstrapService: OpenAPI, pipes, shutdown hooks) on a free port. */
export async function startDashboard(env: Record<string, string>): Promise<RunningDashboard> {
  const config = loadConfig(configSchema, {
    DASHBOARD_OPERATORS: OPERATORS,
    DASHBOARD_SESSION_SECRET: SESSION_SECRET,
    RECONCILIATION_API_KEY,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'error',
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    ...env,
    PORT: '0',
  });
  const app = await bootstrapService(AppModule.forRoot(config), { service: 'reconciliation-dashboard', port: 0, description: 'under test' });
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  // Tests read answers field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** A plain HTTP client that never follows redirects (so tests see them) and keeps the session cookie. */
export class Browserless {
  cookie = '';

  constructor(private readonly baseUrl: string) {}

  async request(method: string, path: string, options: { body?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...(this.cookie ? { cookie: this.cookie } : {}), ...options.headers };
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, { headers });
  }

  async signIn(token: string, name = '') {
    return this.request('POST', '/signin', { form: { name, token, next: '/' } });
  }
}
