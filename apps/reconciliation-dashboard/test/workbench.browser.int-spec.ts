import path from 'node:path';
import { eventFor } from '@commerce/contracts/testing';
import { eventually, repoRoot, uniqueName } from '@commerce/testing';
import { alice, type BrowserSuite, closeBrowserSuite, openPage, publish, runFinished, scenarioFor, shot, signIn, startBrowserSuite } from './support/browser-suite';
import { Browserless } from './support/dashboard';

/**
 * The operator's workbench in a real Chromium against the real dashboard and reconciliation
 * service: the order explorer, many cases at once with a dry run, the pipes, the webhooks'
 * failed deliveries, and a rule's what-if.
 */

jest.setTimeout(300_000);

const DOCS_EXPLORER_SCREENSHOT = path.join(repoRoot, 'docs/images/order-explorer.png');

let suite: BrowserSuite;

beforeAll(async () => {
  suite = await startBrowserSuite();
});

afterAll(async () => {
  await closeBrowserSuite(suite);
});

describe('an operator at the workbench', () => {
  it('pastes an orderId from anywhere and sees the order everywhere, checks it now, and is told when no service knows an order', async () => {
    const { page, problems } = await openPage(suite);
    const mismatch = scenarioFor(suite, 'amount-mismatch');
    // Its OrderPlaced on Kafka, published a second after the order service recorded it.
    const script = new Browserless(suite.dashboard.baseUrl);
    const before = await script.get(`/api/orders/${mismatch.orderId}`, { authorization: `Bearer ${alice.token}` });
    const placedAt = Date.parse(before.json.timeline[0].at) + 1000;
    const placed = eventFor('OrderPlaced', mismatch.orderId);
    placed.occurredAt = new Date(placedAt).toISOString();
    await publish(suite, placed, placedAt);
    await signIn(suite, page);

    // The search box is on every page, and takes the id out of whatever text was pasted.
    await page.goto(`${suite.dashboard.baseUrl}/#/runs`);
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
    await runFinished(suite);
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
    const { page, problems } = await openPage(suite);
    const recalled = scenarioFor(suite, 'cancelled-but-dispatched');
    const script = new Browserless(suite.dashboard.baseUrl);
    const auth = { authorization: `Bearer ${alice.token}` };
    // Cases to act on (the first test's full run made them; run again when this test runs alone).
    await script.request('POST', '/api/runs', { body: { kind: 'full' }, headers: auth });
    await runFinished(suite);
    await signIn(suite, page);

    await page.goto(`${suite.dashboard.baseUrl}/#/cases?status=open&rule=cancelled-but-dispatched`);
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
    const { page, problems } = await openPage(suite);
    const failedAt = new Date().toISOString();
    suite.sources.deadLetters.payment = [
      { id: '41', eventType: 'ShipmentDispatched', orderId: 'ord-a', reason: 'Error: boom', failedAt },
      { id: '42', eventType: 'ShipmentDispatched', orderId: 'ord-b', reason: 'Error: boom', failedAt },
      { id: '43', eventType: 'OrderPlaced', orderId: 'ord-c', reason: 'ZodError: lines', failedAt },
    ];
    await signIn(suite, page);
    await page.click('nav a[data-section=pipes]');
    await page.waitForSelector('#pipes-overview tr[data-service=payment]');
    for (const [index, service] of ['order', 'inventory', 'payment', 'shipment', 'notification'].entries()) {
      expect(await page.locator(`#pipes-overview tr[data-service=${service}]`).count()).toBe(1);
      // Which replica's relay publishes: the holder of the relay lock, as the service names it.
      expect(await page.textContent(`#pipes-overview tr[data-service=${service}] [data-relay-lock]`)).toBe(`test-host:${4200 + index}`);
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
    expect(suite.sources.deadLetters.payment).toEqual([]);

    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists the webhook deliveries that failed after every retry, and redelivers one in their name', async () => {
    const { page, problems } = await openPage(suite);
    const script = new Browserless(suite.dashboard.baseUrl);
    const auth = { authorization: `Bearer ${alice.token}` };
    // Cases needing a person (the first test's run made them; run again when this test runs alone), told to a receiver answering 503.
    await script.request('POST', '/api/runs', { body: { kind: 'full' }, headers: auth });
    await runFinished(suite);
    const failed = await eventually(
      async () => {
        const answer = await script.get('/api/webhooks/deliveries?status=failed', auth);
        expect(answer.json.length).toBeGreaterThan(0);
        return answer.json as Array<{ id: string; lastStatusCode: number; attempts: number }>;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(failed[0]).toMatchObject({ lastStatusCode: 503, attempts: 2 });
    suite.webhooks.status = 200;

    await signIn(suite, page);
    await page.click('nav a[data-section=webhooks]');
    await page.waitForSelector('#webhook-endpoints tr[data-endpoint]');
    const row = `#webhook-failed tr[data-delivery-id="${failed[0]?.id}"]`;
    await page.waitForSelector(row);
    expect(await page.textContent(row)).toContain('503');
    await shot(page, '12-webhooks');

    await page.click(`${row} [data-action=redeliver]`);
    await page.waitForSelector('.toast:has-text("Write why first")');
    await page.fill('#redeliver-reason', 'ops receiver back up');
    await page.click(`${row} [data-action=redeliver]`);
    await page.waitForSelector('.toast:has-text("Redelivery queued")');
    await eventually(async () => expect(suite.webhooks.delivered).toContain(failed[0]?.id));
    const audit = await script.get('/api/pipes/audit', auth);
    expect(audit.json[0]).toMatchObject({ actor: 'alice', action: 'redeliver-webhook', subject: failed[0]?.id, reason: 'ops receiver back up' });

    expect(problems).toEqual([]);
    await page.close();
  });

  it('tries another grace for a rule on the rules page and reads the what-if answer, which opens nothing', async () => {
    const { page, problems } = await openPage(suite);
    const mismatch = scenarioFor(suite, 'amount-mismatch');
    const script = new Browserless(suite.dashboard.baseUrl);
    const auth = { authorization: `Bearer ${alice.token}` };
    // Its case is open (the earlier tests' runs; run again when this test runs alone).
    await script.request('POST', '/api/runs', { body: { kind: 'full' }, headers: auth });
    await runFinished(suite);
    const casesNow = async () => (await script.get('/api/cases?limit=200', auth)).json.items.length as number;
    const before = await casesNow();
    await signIn(suite, page);
    await page.click('nav a[data-section=rules]');
    await page.waitForSelector('#rules-what-if #whatif-rule');

    // The rule's current grace (10 minutes) is filled in; a grace of ten years would not have opened its case.
    await page.selectOption('#whatif-rule', 'amount-mismatch');
    expect(await page.inputValue('#whatif-grace')).toBe('10');
    await page.fill('#whatif-grace', String(10 * 365 * 24 * 60));
    await page.click('[data-action=what-if]');
    await page.waitForSelector(`#whatif-result [data-group=wouldNotHaveOpened] tr[data-order-id="${mismatch.orderId}"]`);
    expect(await page.getAttribute('#whatif-result [data-group=stillOpen]', 'data-count')).toBe('0');
    expect(await page.textContent('#whatif-result .what-if-summary')).toContain('Nothing was opened');

    // No grace at all: the case is still open with it.
    await page.fill('#whatif-grace', '0');
    await page.click('[data-action=what-if]');
    await page.waitForSelector(`#whatif-result [data-group=stillOpen] tr[data-order-id="${mismatch.orderId}"]`);
    await shot(page, '13-rule-what-if');
    expect(await casesNow()).toBe(before);

    expect(problems).toEqual([]);
    await page.close();
  });
});
