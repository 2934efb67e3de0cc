/**
 * Which requests may be served without a session. Deny by default: everything not listed here
 * (pages, /api, /queues, /docs, /metrics, and any route added later) needs a signed-in operator.
 */
const PUBLIC_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: 'GET', path: '/signin' },
  { method: 'POST', path: '/signin' },
  { method: 'POST', path: '/signout' },
  // What the sign-in page needs to render, nothing more.
  { method: 'GET', path: '/assets/theme.css' },
  { method: 'GET', path: '/assets/signin.css' },
  { method: 'GET', path: '/assets/favicon.svg' },
  // Probes (the stack runner and orchestrators wait on these).
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/health/live' },
];

export function isPublicRoute(method: string, path: string): boolean {
  const verb = method === 'HEAD' ? 'GET' : method;
  return PUBLIC_ROUTES.some((route) => route.method === verb && route.path === path);
}

/**
 * Whether an unauthenticated request should be sent to the sign-in page (a person navigating)
 * rather than answered 401 (a script or the page's own fetch calls).
 */
export function wantsSignInPage(method: string, path: string, accept: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (path === '/api' || path.startsWith('/api/') || path.startsWith('/ui-api/')) return false;
  return (accept ?? '').includes('text/html');
}

/**
 * Where to go after signing in: only a path on this site (never `//evil.example` or
 * `https://...`, which would make the sign-in page an open redirect).
 */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\r\n]/.test(next) || next.startsWith('/signin') || next.startsWith('/signout')) return '/';
  return next;
}

/**
 * Cookies ride along on cross-site requests a browser is tricked into sending; refuse state
 * changes whose Origin is another site. (SameSite=Strict already keeps the cookie off them in
 * current browsers; this is the second lock.) Requests without Origin come from scripts or
 * same-origin navigations.
 */
export function isCrossSiteWrite(method: string, origin: string | undefined, host: string | undefined): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  if (!origin) return false;
  if (origin === 'null') return true;
  try {
    return new URL(origin).host !== host;
  } catch {
    // An Origin header that is not a URL is not from a browser we can trust.
    return true;
  }
}

/**
 * Slows down token guessing: after `limit` failed sign-ins from one address within `windowMs`,
 * further attempts are refused until the window has passed.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 5 * 60_000,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  isBlocked(address: string): boolean {
    return this.recent(address).length >= this.limit;
  }

  recordFailure(address: string): void {
    const recent = this.recent(address);
    recent.push(this.clock());
    this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.forgetOldest();
  }

  recordSuccess(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.clock() - this.windowMs;
    return (this.failures.get(address) ?? []).filter((at) => at > since);
  }

  private forgetOldest(): void {
    const first = this.failures.keys().next();
    if (!first.done) this.failures.delete(first.value);
  }
}
