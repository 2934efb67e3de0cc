import { Queue } from 'bullmq';
import { freePort, testRedisUrl, uniqueName } from '@commerce/testing';
import { Browserless, type RunningDashboard, startDashboard } from './support/dashboard';
import { type RecordedRequest, startRecordingUpstream } from './support/recording-upstream';

jest.setTimeout(60_000);

const HTML = { accept: 'text/html,application/xhtml+xml' };
const JSON_ACCEPT = { accept: 'application/json' };

let upstream: Awaited<ReturnType<typeof startRecordingUpstream>>;
let dashboard: RunningDashboard;
let queue: Queue;
const prefix = uniqueName('recon-test');
const UPSTREAM_KEY = 'upstream-api-key-0123456789';

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  // A queue of the reconciliation service's, with a job in it, under a prefix of this suite's own.
  queue = new Queue('repairs', { connection: { url: testRedisUrl() }, prefix });
  await queue.add('repair', { caseId: 'c-1', attempt: 1, requestedBy: 'test' });
  dashboard = await startDashboard({
    RECONCILIATION_URL: upstream.url,
    RECONCILIATION_QUEUE_PREFIX: prefix,
    RECONCILIATION_API_KEY: UPSTREAM_KEY,
    DASHBOARD_TRACES_URL: 'http://127.0.0.1:9411/',
  });
});

afterAll(async () => {
  await dashboard?.close();
  await upstream?.close();
  await queue?.obliterate({ force: true });
  await queue?.close();
});

function lastUpstreamRequest(): RecordedRequest {
  const request = upstream.requests.at(-1);
  if (!request) throw new Error('nothing reached the upstream');
  return request;
}

describe('without a session', () => {
  const anonymous = () => new Browserless(dashboard.baseUrl);

  it.each(['/', '/queues', '/queues/', '/docs', '/metrics', '/#/cases'])('sends a person opening %s to the sign-in page, coming back after', async (path) => {
    const answer = await anonymous().get(path, HTML);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(path.replace(/#.*$/, ''))}`);
  });

  it.each(['/api/cases', '/api/runs', '/api/stats', '/ui-api/queues', '/ui-api/session', '/queues/api/queues', '/assets/js/app.js', '/assets/app.css', '/metrics'])(
    'answers GET %s 401 with problem details, and forwards nothing',
    async (path) => {
      const before = upstream.requests.length;
      const answer = await anonymous().get(path, JSON_ACCEPT);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.headers.get('www-authenticate')).toContain('Bearer');
      expect(answer.json).toMatchObject({ status: 401, title: 'Sign-in required' });
      expect(upstream.requests.length).toBe(before);
    },
  );

  it.each([
    ['POST', '/api/cases/c-1/resolve'],
    ['POST', '/api/runs'],
    ['POST', '/queues/api/queues/repairs/retry/failed'],
    ['PUT', '/queues/api/queues/repairs/pause'],
  ])('refuses %s %s with 401', async (method, path) => {
    const before = upstream.requests.length;
    const answer = await anonymous().request(method, path, { body: { note: 'x', actor: 'alice' }, headers: HTML });
    expect(answer.status).toBe(401);
    expect(upstream.requests.length).toBe(before);
  });

  it('serves the sign-in page and only what it needs', async () => {
    const page = await anonymous().get('/signin', HTML);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Operator sign-in');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const asset of ['/assets/theme.css', '/assets/signin.css', '/assets/favicon.svg']) expect((await anonymous().get(asset)).status).toBe(200);
  });

  it('answers /health (probes need no session)', async () => {
    const health = await anonymous().get('/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok' });
  });

  it('refuses a wrong bearer token, even with a valid cookie alongside', async () => {
    const client = anonymous();
    await client.signIn('token-alice-1');
    const answer = await client.get('/api/cases', { authorization: 'Bearer not-a-token' });
    expect(answer.status).toBe(401);
  });

  it('refuses a tampered session cookie', async () => {
    const client = anonymous();
    await client.signIn('token-alice-1');
    const [body, signature] = client.cookie.replace('recon_session=', '').split('.');
    const session = JSON.parse(Buffer.from(body!, 'base64url').toString());
    client.cookie = `recon_session=${Buffer.from(JSON.stringify({ ...session, operator: 'bob' })).toString('base64url')}.${signature}`;
    expect((await client.get('/api/cases')).status).toBe(401);
  });
});

describe('signing in', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and returns to where the operator was going', async () => {
    const client = new Browserless(dashboard.baseUrl);
    const answer = await client.request('POST', '/signin', { form: { name: 'alice', token: 'token-alice-1', next: '/#/cases' } });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/#/cases');
    const cookie = answer.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^recon_session=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('token-alice-1');
  });

  it('accepts the token alone', async () => {
    const client = new Browserless(dashboard.baseUrl);
    expect((await client.signIn('token-bob-22')).status).toBe(303);
    expect((await client.get('/ui-api/session')).json).toEqual({ operator: 'bob', tracesUrl: 'http://127.0.0.1:9411' });
  });

  it('refuses a wrong token or another operator’s name with the page and a message', async () => {
    for (const [name, token] of [
      ['', 'wrong-token'],
      ['bob', 'token-alice-1'],
    ]) {
      const client = new Browserless(dashboard.baseUrl);
      const answer = await client.signIn(token!, name);
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('do not match an operator');
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
  });

  it('never redirects off the site after sign-in', async () => {
    const client = new Browserless(dashboard.baseUrl);
    const answer = await client.request('POST', '/signin', { form: { token: 'token-alice-1', next: '//evil.example/' } });
    expect(answer.headers.get('location')).toBe('/');
  });

  it('signs out: the cookie is cleared', async () => {
    const client = new Browserless(dashboard.baseUrl);
    await client.signIn('token-alice-1');
    const answer = await client.request('POST', '/signout');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('set-cookie')).toMatch(/recon_session=;/);
    expect((await client.get('/api/cases')).status).toBe(401);
  });
});

describe('with a session', () => {
  let bob: Browserless;

  beforeAll(async () => {
    bob = new Browserless(dashboard.baseUrl);
    await bob.signIn('token-bob-22', 'bob');
  });

  it('serves the app page with a strict content security policy', async () => {
    const page = await bob.get('/', HTML);
    expect(page.status).toBe(200);
    expect(page.text).toContain('/assets/js/app.js');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await bob.get('/assets/js/app.js')).headers.get('content-type')).toContain('text/javascript');
  });

  it('does not serve files outside the app folder', async () => {
    expect((await bob.get('/assets/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await bob.get('/assets/../src/config.ts')).status).toBe(404);
  });

  it('forwards reads with the query, as the operator, without the browser’s cookie or a forged X-Operator', async () => {
    const answer = await bob.get('/api/cases?status=OPEN&rule=amount-mismatch&limit=25', { 'x-operator': 'mallory', 'x-correlation-id': 'corr-1' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ echoed: '/cases?status=OPEN&rule=amount-mismatch&limit=25' });
    const request = lastUpstreamRequest();
    expect(request.method).toBe('GET');
    expect(request.headers['x-operator']).toBe('bob');
    expect(request.headers['x-correlation-id']).toBe('corr-1');
    expect(request.headers['x-api-key']).toBe(UPSTREAM_KEY);
    expect(request.headers.cookie).toBeUndefined();
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('forwards actions as the signed-in operator, overwriting any actor the browser sent', async () => {
    const answer = await bob.request('POST', '/api/cases/c-1/resolve', { body: { note: 'refunded by hand', actor: 'mallory' } });
    expect(answer.status).toBe(201);
    const request = lastUpstreamRequest();
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/cases/c-1/resolve');
    expect(request.headers['x-operator']).toBe('bob');
    expect(JSON.parse(request.body)).toEqual({ note: 'refunded by hand', actor: 'bob' });
  });

  it('answers 502 naming the setting, not 401, when the service refuses the dashboard’s key (the operator is signed in)', async () => {
    const answer = await bob.get('/api/cases/refused-key');
    expect(answer.status).toBe(502);
    expect(answer.json).toMatchObject({ status: 502, detail: expect.stringContaining('RECONCILIATION_API_KEY') });
  });

  it('passes the service’s errors through as they are', async () => {
    const answer = await bob.get('/api/cases/missing');
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ title: 'Case not found' });
  });

  it('refuses a write sent from another site with the session cookie', async () => {
    const before = upstream.requests.length;
    const answer = await bob.request('POST', '/api/runs', { body: { kind: 'full' }, headers: { origin: 'https://evil.example' } });
    expect(answer.status).toBe(403);
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses actions that are not JSON (what an HTML form elsewhere could send)', async () => {
    const answer = await bob.request('POST', '/api/runs', { form: { kind: 'full' } });
    expect(answer.status).toBe(415);
  });

  it('forwards only the reconciliation API', async () => {
    expect((await bob.get('/api/health')).status).toBe(404);
    expect((await bob.get('/api/cases/%2e%2e/health')).status).toBe(404);
  });

  it('shows bull-board and the queues under the service’s prefix', async () => {
    expect((await bob.get('/queues', HTML)).status).toBe(200);
    const queues = await bob.get('/queues/api/queues', JSON_ACCEPT);
    expect(queues.status).toBe(200);
    const names = (queues.json.queues as Array<{ name: string }>).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['runs', 'checks', 'repairs']));
  });

  it('summarises queue health for the overview', async () => {
    const health = await bob.get('/ui-api/queues');
    expect(health.json.redis).toBe('up');
    const repairs = (health.json.queues as Array<{ name: string; counts: Record<string, number> }>).find((q) => q.name === 'repairs');
    expect(repairs?.counts['waiting']).toBe(1);
  });

  it('accepts a bearer token instead of a session (scripts)', async () => {
    const script = new Browserless(dashboard.baseUrl);
    await script.request('POST', '/api/runs', { body: { kind: 'incremental', requestedBy: 'mallory' }, headers: { authorization: 'Bearer token-alice-1' } });
    expect(lastUpstreamRequest().headers['x-operator']).toBe('alice');
    expect(JSON.parse(lastUpstreamRequest().body)).toEqual({ kind: 'incremental', requestedBy: 'alice' });
  });
});

describe('when the reconciliation service is down', () => {
  let orphan: RunningDashboard;

  beforeAll(async () => {
    orphan = await startDashboard({ RECONCILIATION_URL: `http://127.0.0.1:${await freePort()}`, RECONCILIATION_QUEUE_PREFIX: prefix });
  });

  afterAll(async () => {
    await orphan?.close();
  });

  it('answers 502 with a problem saying so, not a hang or a 500', async () => {
    const answer = await new Browserless(orphan.baseUrl).get('/api/cases', { authorization: 'Bearer token-alice-1' });
    expect(answer.status).toBe(502);
    expect(answer.json).toMatchObject({ title: 'Reconciliation service unavailable' });
    expect(answer.json.detail).toContain('ECONNREFUSED');
  });
});
