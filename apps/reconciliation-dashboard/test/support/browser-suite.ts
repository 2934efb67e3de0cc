import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type EventEnvelope, headersFor, topicFor } from '@commerce/contracts';
import { eventually, repoRoot, testBrokers, uniqueName } from '@commerce/testing';
import { Browserless, OPERATORS, type RunningDashboard, startDashboard } from './dashboard';
import { divergentOrders, type MilestoneSources, type Scenario, startMilestoneSources } from './milestone-sources';
import { type RunningReconciliation, startReconciliationService } from './reconciliation-service';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

export const ARTIFACTS = path.join(repoRoot, 'test-artifacts/dashboard');

/** The first operator of OPERATORS: the one who signs in. */
export const alice = (() => {
  const [name = '', token = ''] = (OPERATORS.split(',')[0] ?? '').split(':');
  return { name, token };
})();

/**
 * What a browser suite runs against: the real dashboard and the real reconciliation service (its
 * own process, database, topics and queues), whose five milestone sources are small HTTP servers
 * holding orders the services disagree on, and a Chromium.
 */
export interface BrowserSuite {
  sources: MilestoneSources;
  reconciliation: RunningReconciliation;
  dashboard: RunningDashboard;
  browser: Browser;
  scenarios: Scenario[];
  /** Hears of every case needing attention; answers 503 until a test says otherwise, so deliveries fail. */
  webhooks: WebhookReceiver;
}

/** Starts the parts in order; if one fails, stops those already started before throwing. */
export async function startBrowserSuite(): Promise<BrowserSuite> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const orders = divergentOrders(uniqueName('b').toLowerCase().replace(/_/g, ''));
  const started: Partial<BrowserSuite> = { scenarios: orders.scenarios };
  try {
    started.sources = await startMilestoneSources(orders.records);
    started.webhooks = await startWebhookReceiver(503);
    started.reconciliation = await startReconciliationService(started.sources, {
      WEBHOOK_ENDPOINTS: `${started.webhooks.url} case.needs-attention`,
      WEBHOOK_SECRET: 'the-browser-suites-webhook-secret',
      WEBHOOK_MAX_ATTEMPTS: '2',
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_POLL_MS: '200',
    });
    started.dashboard = await startDashboard({
      RECONCILIATION_URL: started.reconciliation.url,
      RECONCILIATION_QUEUE_PREFIX: started.reconciliation.queuePrefix,
      RECONCILIATION_API_KEY: started.reconciliation.apiKey,
      DASHBOARD_TRACES_URL: 'http://127.0.0.1:9411/',
    });
    started.browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    return started as BrowserSuite;
  } catch (error) {
    await closeBrowserSuite(started);
    throw error;
  }
}

export async function closeBrowserSuite(suite: Partial<BrowserSuite> | undefined): Promise<void> {
  await suite?.browser?.close();
  await suite?.dashboard?.close();
  await suite?.reconciliation?.stop();
  await suite?.sources?.close();
  await suite?.webhooks?.close();
}

/** A page that records every console error and uncaught exception, so the test can fail on them. */
export async function openPage(suite: BrowserSuite): Promise<{ page: Page; problems: string[] }> {
  const page = await suite.browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return { page, problems };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The latest run, once it has stopped running (read through the dashboard's API as a script would). */
export async function runFinished(suite: BrowserSuite): Promise<{ id: string; status: string; error: string | null; unavailableServices: Record<string, string> }> {
  const script = new Browserless(suite.dashboard.baseUrl);
  return eventually(
    async () => {
      const answer = await script.get('/api/runs?limit=1', { authorization: `Bearer ${alice.token}` });
      const run = answer.json.items[0];
      if (!run || run.status === 'queued' || run.status === 'running') {
        throw new Error(`the run has not finished: ${JSON.stringify(run)}\nreconciliation-service said:\n${suite.reconciliation.output().slice(-3000)}`);
      }
      return run;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

export async function signIn(suite: BrowserSuite, page: Page): Promise<void> {
  await page.goto(`${suite.dashboard.baseUrl}/signin`);
  await page.fill('#name', alice.name);
  await page.fill('#token', alice.token);
  await page.click('button[type=submit]');
  await page.waitForSelector('#operator:has-text("alice")');
}

export function scenarioFor(suite: BrowserSuite, rule: string): Scenario {
  const scenario = suite.scenarios.find((candidate) => candidate.rule === rule);
  if (!scenario) throw new Error(`no scenario for ${rule}`);
  return scenario;
}

/** Publishes an event as its service would (keyed by orderId, at `timestamp`) on the reconciliation service's topics. */
export async function publish(suite: BrowserSuite, event: EventEnvelope, timestamp: number): Promise<void> {
  const producer = new Kafka({ clientId: uniqueName('dash-test'), brokers: testBrokers(), logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({
      topic: suite.reconciliation.topicPrefix + topicFor(event.type),
      messages: [{ key: event.orderId, value: JSON.stringify(event), headers: headersFor(event), timestamp: String(timestamp) }],
    });
  } finally {
    await producer.disconnect();
  }
}
