import { randomUUID } from 'node:crypto';
import { type Browser, chromium } from 'playwright-core';
import { eventually } from '@commerce/testing';
import { compose, type Line, operator, reconciliation, type Run, shop, url } from './stack';

/**
 * The docker-compose stack, from the production images, driven only through the ports it
 * publishes on 127.0.0.1: the order flows, reconciliation over all five services, the dashboard in
 * Chromium, and a service container killed while orders flow.
 */
jest.setTimeout(300_000);

/** Seven containers on two cores: allow the flows time, fail with the last assertion otherwise. */
const settle = <T>(assertion: () => Promise<T>) => eventually(assertion, { timeoutMs: 60_000, intervalMs: 250 });
const sku = (name: string) => `SKU-${name}-${randomUUID().slice(0, 8)}`.toUpperCase();

const orderStatus = (orderId: string, expected: string) =>
  settle(async () => {
    const order = await shop.order(orderId);
    expect(order.status).toBe(expected);
    return order;
  });

const shipmentsCreated = (orderId: string, count: number) =>
  settle(async () => {
    const shipments = await shop.shipments(orderId);
    expect(shipments).toHaveLength(count);
    return shipments;
  });

/** A mug at wh-berlin and a tee at wh-hamburg: one order, two shipments. */
async function twoNodeOrder(stock = 10): Promise<Line[]> {
  const mug = sku('mug');
  const tee = sku('tee');
  await shop.setStock(mug, 'wh-berlin', stock);
  await shop.setStock(tee, 'wh-hamburg', stock);
  return [
    { sku: mug, quantity: 2, unitPriceMinor: 1250 },
    { sku: tee, quantity: 1, unitPriceMinor: 2500 },
  ];
}

async function runToEnd(kind: 'full' | 'incremental'): Promise<Run> {
  const { runId } = await reconciliation.call<{ runId: string }>(202, 'POST', '/runs', { kind });
  return settle(async () => {
    const run = await reconciliation.call<Run>(200, 'GET', `/runs/${runId}`);
    expect(['completed', 'incomplete', 'failed']).toContain(run.status);
    return run;
  });
}

describe('the compose stack', () => {
  it('answers /health on every published port', async () => {
    for (const app of ['order', 'inventory', 'payment', 'shipment', 'notification', 'reconciliation', 'dashboard'] as const) {
      expect((await fetch(`${url(app)}/health`)).status).toBe(200);
    }
  });

  it('happy path with a split shipment: confirmed, two shipments dispatched, delivered', async () => {
    const placed = await shop.placeOrder(await twoNodeOrder());
    expect(placed.totalMinor).toBe(5000);
    await orderStatus(placed.orderId, 'CONFIRMED');
    const shipments = await shipmentsCreated(placed.orderId, 2);
    expect(shipments.map((s) => [s.node, s.valueMinor]).sort()).toEqual([
      ['wh-berlin', 2500],
      ['wh-hamburg', 2500],
    ]);
    for (const shipment of shipments) expect((await shop.dispatch(shipment.shipmentId)).status).toBe('DISPATCHED');
    await orderStatus(placed.orderId, 'SHIPPED');
    for (const shipment of shipments) expect((await shop.deliver(shipment.shipmentId)).status).toBe('DELIVERED');
    await orderStatus(placed.orderId, 'DELIVERED');
  });

  it('payment declined: REJECTED', async () => {
    const placed = await shop.placeOrder(await twoNodeOrder(), 'tok_decline');
    await orderStatus(placed.orderId, 'REJECTED');
  });

  it('cancelled before dispatch: CANCELLED, its shipments cancelled', async () => {
    const placed = await shop.placeOrder(await twoNodeOrder());
    await orderStatus(placed.orderId, 'CONFIRMED');
    await shipmentsCreated(placed.orderId, 2);
    await shop.cancel(placed.orderId);
    await orderStatus(placed.orderId, 'CANCELLED');
    await settle(async () => expect((await shop.shipments(placed.orderId)).map((s) => s.status)).toEqual(['CANCELLED', 'CANCELLED']));
  });

  it('loses nothing when the shipment service is killed while orders flow', async () => {
    const lines = await twoNodeOrder(100);
    const placing: Array<Promise<{ orderId: string }>> = [];
    for (let i = 0; i < 20; i++) {
      placing.push(shop.placeOrder(lines));
      if (i === 5) await compose('kill', 'shipment-service'); // SIGKILL: no graceful shutdown
    }
    const orders = await Promise.all(placing);
    await compose('start', 'shipment-service');
    await settle(async () => expect((await fetch(`${url('shipment')}/health`)).status).toBe(200));
    for (const { orderId } of orders) {
      await orderStatus(orderId, 'CONFIRMED');
      await shipmentsCreated(orderId, 2);
    }
  });

  it('a full and an incremental reconciliation over the five services open no case', async () => {
    const full = await runToEnd('full');
    expect({ status: full.status, error: full.error, unavailable: full.unavailableServices }).toEqual({ status: 'completed', error: null, unavailable: {} });
    expect(full.ordersChecked).toBeGreaterThanOrEqual(23);
    const incremental = await runToEnd('incremental');
    expect({ status: incremental.status, error: incremental.error }).toEqual({ status: 'completed', error: null });
    expect(await reconciliation.openCases()).toEqual([]);
  });

  describe('the dashboard in Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('signs an operator in and shows the overview', async () => {
      const page = await browser.newPage();
      const { name, token } = operator();
      await page.goto(`${url('dashboard')}/#/overview`);
      await page.waitForURL(/\/signin/);
      await page.fill('#name', name);
      await page.fill('#token', token);
      await page.click('button[type=submit]');
      await page.waitForSelector(`#operator:has-text("${name}")`);
      await page.waitForSelector('h1:has-text("Overview")');
    });
  });
});
