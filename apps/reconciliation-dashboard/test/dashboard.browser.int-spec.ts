import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort, repoRoot, uniqueName } from '@commerce/testing';
import { alice, type BrowserSuite, closeBrowserSuite, openPage, runFinished, scenarioFor, shot, startBrowserSuite } from './support/browser-suite';
import { Browserless, startDashboard } from './support/dashboard';

/**
 * An operator's day, in a real Chromium against the real dashboard and the real reconciliation
 * service (its own process, database, topics and queues), whose five milestone sources are small
 * HTTP servers holding orders the services disagree on. The workbench (explorer, bulk actions,
 * pipes) has its own suite: workbench.browser.int-spec.ts.
 */

jest.setTimeout(300_000);

const DOCS_SCREENSHOT = path.join(repoRoot, 'docs/images/dashboard.png');

let suite: BrowserSuite;

beforeAll(async () => {
  suite = await startBrowserSuite();
});

afterAll(async () => {
  await closeBrowserSuite(suite);
});

describe('an operator in the dashboard', () => {
  it('signs in, runs a reconciliation, filters the cases, and resolves one with a note attributed to them', async () => {
    const { page, problems } = await openPage(suite);
    const mismatch = scenarioFor(suite, 'amount-mismatch');

    // Every page needs a session: the dashboard sends the browser to sign in first.
    await page.goto(`${suite.dashboard.baseUrl}/#/overview`);
    await page.waitForURL(/\/signin/);
    await shot(page, '01-signin');
    await page.fill('#name', alice.name);
    await page.fill('#token', alice.token);
    await page.click('button[type=submit]');
    await page.waitForSelector('#operator:has-text("alice")');
    await page.waitForSelector('h1:has-text("Overview")');

    // A run, started from the dashboard, as alice.
    await page.selectOption('select[name=kind]', 'full');
    await page.click('[data-action=run-now]');
    await page.waitForSelector('.toast:has-text("run queued")');
    await page.click('nav a[data-section=runs]');
    const run = await runFinished(suite);
    expect({ status: run.status, error: run.error, unavailable: run.unavailableServices }).toEqual({ status: 'completed', error: null, unavailable: {} });
    await page.waitForSelector(`tr[data-run-id="${run.id}"] .badge[data-state=completed]`);
    expect(await page.textContent('tr[data-run-id]')).toContain('alice');
    await shot(page, '02-runs');

    // The overview: last runs, the mismatches chart, open cases by state and age, queue health.
    await page.click('nav a[data-section=overview]');
    await page.waitForSelector('.chart svg rect');
    await page.waitForSelector('tr[data-queue=repairs]');
    const openCases = Number(await page.textContent('.kpi .value'));
    expect(openCases).toBeGreaterThanOrEqual(suite.scenarios.filter((s) => s.rule).length);
    await shot(page, '03-overview');
    if (process.env['UPDATE_DOCS_SCREENSHOT'] === '1') {
      mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
      await page.screenshot({ path: DOCS_SCREENSHOT, fullPage: true });
    }

    // Cases, a page at a time, then filtered by rule: only the amount mismatch.
    const divergent = suite.scenarios.filter((s) => s.rule).length;
    await page.click('nav a[data-section=cases]');
    await page.waitForSelector('tr[data-case-id]');
    expect(await page.locator('tr[data-case-id]').count()).toBe(divergent);
    await page.goto(`${suite.dashboard.baseUrl}/#/cases?status=open&limit=4`);
    await page.waitForSelector('[data-action=next-page]');
    expect(await page.locator('tr[data-case-id]').count()).toBe(4);
    const firstPage = await page.locator('tr[data-case-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id')));
    await page.click('[data-action=next-page]');
    await page.waitForSelector('text=« First page');
    const secondPage = await page.locator('tr[data-case-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id')));
    expect(secondPage).toHaveLength(divergent - 4);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    expect(await page.locator('[data-action=next-page]').count()).toBe(0);
    await page.selectOption('#filter-rule', 'amount-mismatch');
    await page.waitForURL(/rule=amount-mismatch/);
    await page.waitForSelector(`tr[data-order-id="${mismatch.orderId}"]`);
    expect(await page.locator('tr[data-case-id]').count()).toBe(1);
    await page.fill('#filter-order', 'no-such-order');
    await page.press('#filter-order', 'Enter');
    await page.waitForSelector('.empty:has-text("No cases match these filters")');
    await page.fill('#filter-order', mismatch.orderId);
    await page.press('#filter-order', 'Enter');
    await page.waitForSelector(`tr[data-order-id="${mismatch.orderId}"]`);
    await shot(page, '04-cases-filtered');

    // The case: every service's side of the order, the evidence, the audit trail.
    await page.click(`tr[data-order-id="${mismatch.orderId}"] a`);
    await page.waitForSelector('#timeline table.timeline-grid');
    for (const service of ['order', 'inventory', 'payment', 'shipment', 'notification']) {
      expect(await page.locator(`#timeline th[data-service=${service}]`).count()).toBe(1);
    }
    expect(await page.textContent('#timeline')).toContain('Captured');
    expect(await page.textContent('.page-head')).toContain(mismatch.orderId);
    await shot(page, '05-case');

    // Resolve with a note; the audit trail names alice, whatever the browser might have claimed.
    const note = `Refunded the €8.00 difference by hand (${uniqueName('ticket')})`;
    await page.click('[data-action=resolve]');
    await page.fill('#resolve-text', note);
    await page.click('[data-action=resolve-confirm]');
    await page.waitForSelector('.page-head .badge[data-state=RESOLVED]');
    const entry = page.locator('#audit li[data-actor=alice]', { hasText: note });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('Resolved');
    await page.waitForSelector('[data-action=reopen]');
    await shot(page, '06-case-resolved');
    // The order's traces, found in Zipkin by the order.id tag of its spans.
    const orderId = (await page.locator('.page-head .mono').first().textContent()) ?? '';
    expect(await page.getAttribute('.trace-link', 'href')).toBe(
      `http://127.0.0.1:9411/zipkin/?annotationQuery=${encodeURIComponent(`order.id=${orderId}`)}&lookback=7d&limit=50`,
    );

    // The service recorded it the same way.
    const script = new Browserless(suite.dashboard.baseUrl);
    const caseId = decodeURIComponent(page.url().split('#/cases/')[1] ?? '');
    const stored = await script.get(`/api/cases/${caseId}`, { authorization: `Bearer ${alice.token}` });
    expect(stored.json.status).toBe('RESOLVED');
    expect(stored.json.audit.at(-1)).toMatchObject({ actor: 'alice', to: 'RESOLVED', reason: note });

    expect(problems).toEqual([]);
    await page.close();
  });

  it('sees a clear message, not a blank page, when the reconciliation service is down', async () => {
    const orphan = await startDashboard({ RECONCILIATION_URL: `http://127.0.0.1:${await freePort()}`, RECONCILIATION_QUEUE_PREFIX: suite.reconciliation.queuePrefix });
    try {
      const { page, problems } = await openPage(suite);
      await page.goto(`${orphan.baseUrl}/signin`);
      await page.fill('#token', alice.token);
      await page.click('button[type=submit]');
      await page.waitForSelector('.error-box:has-text("The reconciliation service is not answering")');
      // The queues come from Redis, not from the service: they still show.
      await page.waitForSelector('tr[data-queue=runs]');
      await shot(page, '07-service-down');
      await page.click('nav a[data-section=cases]');
      await page.waitForSelector('.error-box:has-text("The reconciliation service is not answering")');
      // The browser logs each 502 it received; anything else would be a fault of the page.
      expect(problems.filter((problem) => !problem.includes('502 (Bad Gateway)'))).toEqual([]);
      await page.close();
    } finally {
      await orphan.close();
    }
  });
});

