import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { Kafka, logLevel } from 'kafkajs';
import { type EventEnvelope, headersFor, topicFor } from '@commerce/contracts';
import { eventFor } from '@commerce/contracts/testing';
import { eventually, freePort, repoRoot, testBrokers, uniqueName } from '@commerce/testing';
import { Browserless, OPERATORS, type RunningDashboard, startDashboard } from './support/dashboard';
import { divergentOrders, type MilestoneSources, type Scenario, startMilestoneSources } from './support/milestone-sources';
import { type RunningReconciliation, startReconciliationService } from './support/reconciliation-service';

/**
 * An operator's day, in a real Chromium against the real dashboard and the real reconciliation
 * service (its own process, database, topics and queues), whose five milestone sources are small
 * HTTP servers holding orders the services disagree on.
 */

jest.setTimeout(300_000);

const ARTIFACTS = path.join(repoRoot, 'test-artifacts/dashboard');
const DOCS_SCREENSHOT = path.join(repoRoot, 'docs/images/dashboard.png');
const DOCS_EXPLORER_SCREENSHOT = path.join(repoRoot, 'docs/images/order-explorer.png');
const [alice] = OPERATORS.split(',').map((entry) => {
  const [name = '', token = ''] = entry.split(':');
  return { name, token };
});

let sources: MilestoneSources;
let reconciliation: RunningReconciliation;
let dashboard: RunningDashboard;
let browser: Browser;
let scenarios: Scenario[];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const orders = divergentOrders(uniqueName('b').toLowerCase().replace(/_/g, ''));
  scenarios = orders.scenarios;
  sources = await startMilestoneSources(orders.records);
  reconciliation = await startReconciliationService(sources);
  dashboard = await startDashboard({
    RECONCILIATION_URL: reconciliation.url,
    RECONCILIATION_QUEUE_PREFIX: reconciliation.queuePrefix,
    RECONCILIATION_API_KEY: reconciliation.apiKey,
  });
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await reconciliation?.stop();
  await sources?.close();
});

/** A page that records every console error and uncaught exception, so the test can fail on them. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return { page, problems };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The latest run, once it has stopped running (read through the dashboard's API as a script would). */
async function runFinished(): Promise<{ id: string; status: string; error: string | null; unavailableServices: Record<string, string> }> {
  const script = new Browserless(dashboard.baseUrl);
  return eventually(
    async () => {
      const answer = await script.get('/api/runs?limit=1', { authorization: `Bearer ${alice!.token}` });
      const run = answer.json.items[0];
      if (!run || run.status === 'queued' || run.status === 'running') {
        throw new Error(`the run has not finished: ${JSON.stringify(run)}\nreconciliation-service said:\n${reconciliation.output().slice(-3000)}`);
      }
      return run;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${dashboard.baseUrl}/signin`);
  await page.fill('#name', alice!.name);
  await page.fill('#token', alice!.token);
  await page.click('button[type=submit]');
  await page.waitForSelector('#operator:has-text("alice")');
}

/** Publishes an event as its service would (keyed by orderId, at `timestamp`) on the reconciliation service's topics. */
async function publish(event: EventEnvelope, timestamp: number): Promise<void> {
  const producer = new Kafka({ clientId: uniqueName('dash-test'), brokers: testBrokers(), logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic: reconciliation.topicPrefix + topicFor(event.type), messages: [{ key: event.orderId, value: JSON.stringify(event), headers: headersFor(event), timestamp: String(timestamp) }] });
  } finally {
    await producer.disconnect();
  }
}

function scenarioFor(rule: string): Scenario {
  const scenario = scenarios.find((candidate) => candidate.rule === rule);
  if (!scenario) throw new Error(`no scenario for ${rule}`);
  return scenario;
}

describe('an operator in the dashboard', () => {
  it('signs in, runs a reconciliation, filters the cases, and resolves one with a note attributed to them', async () => {
    const { page, problems } = await openPage();
    const mismatch = scenarioFor('amount-mismatch');

    // Every page needs a session: the dashboard sends the browser to sign in first.
    await page.goto(`${dashboard.baseUrl}/#/overview`);
    await page.waitForURL(/\/signin/);
    await shot(page, '01-signin');
    await page.fill('#name', alice!.name);
    await page.fill('#token', alice!.token);
    await page.click('button[type=submit]');
    await page.waitForSelector('#operator:has-text("alice")');
    await page.waitForSelector('h1:has-text("Overview")');

    // A run, started from the dashboard, as alice.
    await page.selectOption('select[name=kind]', 'full');
    await page.click('[data-action=run-now]');
    await page.waitForSelector('.toast:has-text("run queued")');
    await page.click('nav a[data-section=runs]');
    const run = await runFinished();
    expect({ status: run.status, error: run.error, unavailable: run.unavailableServices }).toEqual({ status: 'completed', error: null, unavailable: {} });
    await page.waitForSelector(`tr[data-run-id="${run.id}"] .badge[data-state=completed]`);
    expect(await page.textContent('tr[data-run-id]')).toContain('alice');
    await shot(page, '02-runs');

    // The overview: last runs, the mismatches chart, open cases by state and age, queue health.
    await page.click('nav a[data-section=overview]');
    await page.waitForSelector('.chart svg rect');
    await page.waitForSelector('tr[data-queue=repairs]');
    const openCases = Number(await page.textContent('.kpi .value'));
    expect(openCases).toBeGreaterThanOrEqual(scenarios.filter((s) => s.rule).length);
    await shot(page, '03-overview');
    if (process.env['UPDATE_DOCS_SCREENSHOT'] === '1') {
      mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
      await page.screenshot({ path: DOCS_SCREENSHOT, fullPage: true });
    }

    // Cases, a page at a time, then filtered by rule: only the amount mismatch.
    const divergent = scenarios.filter((s) => s.rule).length;
    await page.click('nav a[data-section=cases]');
    await page.waitForSelector('tr[data-case-id]');
    expect(await page.locator('tr[data-case-id]').count()).toBe(divergent);
    await page.goto(`${dashboard.baseUrl}/#/cases?status=open&limit=4`);
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

    // The service recorded it the same way.
    const script = new Browserless(dashboard.baseUrl);
    const caseId = decodeURIComponent(page.url().split('#/cases/')[1] ?? '');
    const stored = await script.get(`/api/cases/${caseId}`, { authorization: `Bearer ${alice!.token}` });
    expect(stored.json.status).toBe('RESOLVED');
    expect(stored.json.audit.at(-1)).toMatchObject({ actor: 'alice', to: 'RESOLVED', reason: note });

    expect(problems).toEqual([]);
    await page.close();
  });

  it('pastes an orderId from anywhere and sees the order everywhere, checks it now, and is told when no service knows an order', async () => {
    const { page, problems } = await openPage();
    const mismatch = scenarioFor('amount-mismatch');
    // Its OrderPlaced on Kafka, published a second after the order service recorded it.
    const script = new Browserless(dashboard.baseUrl);
    const before = await script.get(`/api/orders/${mismatch.orderId}`, { authorization: `Bearer ${alice!.token}` });
    const placedAt = Date.parse(before.json.timeline[0].at) + 1000;
    const placed = eventFor('OrderPlaced', mismatch.orderId);
    placed.occurredAt = new Date(placedAt).toISOString();
    await publish(placed, placedAt);
    await signIn(page);

    // The search box is on every page, and takes the id out of whatever text was pasted.
    await page.goto(`${dashboard.baseUrl}/#/runs`);
    await page.fill('#order-search-input', `customer called about order ${mismatch.orderId} yesterday`);
    await page.press('#order-search-input', 'Enter');
    await page.waitForSelector('#order-timeline table.timeline-grid, .error-box');
    expect(await page.locator('.error-box').allTextContents()).toEqual([]);
    for (const service of ['order', 'inventory', 'payment', 'shipment', 'notification']) {
      expect(await page.locator(`#order-timeline th[data-service=${service}]`).count()).toBe(1);
      expect(await page.locator(`#order-pipes tr[data-service=${service}]`).count()).toBe(1);
    }
    await page.waitForSelector(`#order-events tr[data-event-id="${placed.eventId}"]`);
    expect(await page.textContent(`#order-events tr[data-event-id="${placed.eventId}"]`)).toContain('commerce.order.events');

    // Check now: an order run in alice's name, listed with the order; its case shows (whether this
    // check opened it or the full run before did).
    await page.click('[data-action=check-now]');
    await page.waitForSelector('.toast:has-text("Check queued")');
    await page.waitForSelector('#order-checks td:has-text("alice")');
    await runFinished();
    await page.reload();
    await page.waitForSelector(`#order-cases tr[data-order-id="${mismatch.orderId}"]`);
    await shot(page, '08-order-explorer');
    if (process.env['UPDATE_DOCS_SCREENSHOT'] === '1') await page.screenshot({ path: DOCS_EXPLORER_SCREENSHOT, fullPage: true });

    await page.fill('#order-search-input', uniqueName('no-such-order'));
    await page.press('#order-search-input', 'Enter');
    await page.waitForSelector('#order-unknown:has-text("no service knows this order")');
    await shot(page, '09-order-unknown');

    expect(problems).toEqual([]);
    await page.close();
  });

  it('dismisses many cases in one action after a dry run showing exactly what it touches, and exports the list as CSV', async () => {
    const { page, problems } = await openPage();
    const recalled = scenarioFor('cancelled-but-dispatched');
    const script = new Browserless(dashboard.baseUrl);
    const auth = { authorization: `Bearer ${alice!.token}` };
    // Cases to act on (the first test's full run made them; run again when this test runs alone).
    await script.request('POST', '/api/runs', { body: { kind: 'full' }, headers: auth });
    await runFinished();
    await signIn(page);

    await page.goto(`${dashboard.baseUrl}/#/cases?status=open&rule=cancelled-but-dispatched`);
    await page.waitForSelector(`tr[data-order-id="${recalled.orderId}"]`);
    const listed = await page.locator('tr[data-case-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id')));

    await page.selectOption('#bulk-action', 'dismiss');
    await page.fill('#bulk-note', 'Parcels recalled by the carrier; nothing to repair');
    await page.click('[data-action=bulk-dry-run]');
    await page.waitForSelector('.bulk-plan');
    const planned = await page.locator('tr[data-plan-case-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-plan-case-id')));
    expect(planned.sort()).toEqual([...listed].sort());
    expect(await page.locator('tr[data-plan-case-id][data-applies=true]').count()).toBe(listed.length);
    await shot(page, '10-bulk-dry-run');
    // The dry run changed nothing.
    const before = await script.get(`/api/cases?rule=cancelled-but-dispatched&status=open`, auth);
    expect(before.json.items.map((kase: { id: string }) => kase.id).sort()).toEqual([...listed].sort());

    await page.click('[data-action=bulk-apply]');
    await page.waitForSelector(`.toast:has-text("Dismiss: ${listed.length} of ${listed.length} cases")`);
    await page.waitForSelector('.empty:has-text("No cases match these filters")');
    for (const caseId of listed) {
      const stored = await script.get(`/api/cases/${caseId}`, auth);
      expect(stored.json.status).toBe('DISMISSED');
      expect(stored.json.audit.at(-1)).toMatchObject({ actor: 'alice', to: 'DISMISSED' });
      expect(stored.json.audit.at(-1).reason).toMatch(/^Bulk dismiss of \d+ cases? \(.+\): Parcels recalled/);
    }

    // The same list as CSV, through the link the page shows.
    await page.selectOption('#filter-status', 'all');
    await page.waitForURL(/status=all/);
    const href = await page.getAttribute('[data-action=export-csv]', 'href');
    expect(href).toContain('rule=cancelled-but-dispatched');
    const csv = await script.get(href ?? '', auth);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    for (const caseId of listed) expect(csv.text).toContain(`${caseId},`);
    expect(csv.text).toContain(',DISMISSED,');

    expect(problems).toEqual([]);
    await page.close();
  });

  it('watches the pipes and replays one dead letter, then all of a type, each recorded under their name', async () => {
    const { page, problems } = await openPage();
    const failedAt = new Date().toISOString();
    sources.deadLetters.payment = [
      { id: '41', eventType: 'ShipmentDispatched', orderId: 'ord-a', reason: 'Error: boom', failedAt },
      { id: '42', eventType: 'ShipmentDispatched', orderId: 'ord-b', reason: 'Error: boom', failedAt },
      { id: '43', eventType: 'OrderPlaced', orderId: 'ord-c', reason: 'ZodError: lines', failedAt },
    ];
    await signIn(page);
    await page.click('nav a[data-section=pipes]');
    await page.waitForSelector('#pipes-overview tr[data-service=payment]');
    for (const service of ['order', 'inventory', 'payment', 'shipment', 'notification']) {
      expect(await page.locator(`#pipes-overview tr[data-service=${service}]`).count()).toBe(1);
    }
    expect(await page.locator('#pipes-dead-letters tr[data-dead-letter-id]').count()).toBe(3);
    await shot(page, '11-pipes');

    // A replay needs a reason for the audit trail.
    await page.click('tr[data-dead-letter-id="43"] [data-action=replay-one]');
    await page.waitForSelector('.toast:has-text("Write why first")');
    await page.fill('#replay-reason', 'OrderPlaced schema fixed in 1.4.2');
    await page.click('tr[data-dead-letter-id="43"] [data-action=replay-one]');
    await page.waitForSelector('.toast:has-text("Replayed 1 of 1")');
    await page.waitForSelector('#pipes-audit tr[data-actor=alice]:has-text("#43")');

    await page.fill('#replay-reason', 'shipment handler fixed');
    await page.click('[data-action=replay-type][data-type=ShipmentDispatched]');
    await page.waitForSelector('.toast:has-text("Replayed 2 of 2")');
    await page.waitForSelector('#pipes-dead-letters .empty:has-text("No dead letters")');
    expect(await page.locator('#pipes-audit tr[data-actor=alice]').count()).toBe(3);
    expect(sources.deadLetters.payment).toEqual([]);

    expect(problems).toEqual([]);
    await page.close();
  });

  it('sees a clear message, not a blank page, when the reconciliation service is down', async () => {
    const orphan = await startDashboard({ RECONCILIATION_URL: `http://127.0.0.1:${await freePort()}`, RECONCILIATION_QUEUE_PREFIX: reconciliation.queuePrefix });
    try {
      const { page, problems } = await openPage();
      await page.goto(`${orphan.baseUrl}/signin`);
      await page.fill('#token', alice!.token);
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

