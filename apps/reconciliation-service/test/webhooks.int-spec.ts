import { eventually } from '@commerce/testing';
import { CaseStore } from '../src/cases/case-store';
import type { Problem } from './support/api';
import { createTestEnvironment, type ReconciliationUnderTest, startReconciliation, type TestEnvironment } from './support/reconciliation-under-test';
import { oneDivergencePerRule } from './support/scenarios';
import { WebhookReceiver } from './support/webhook-receiver';

jest.setTimeout(120_000);

const SECRET = 'webhook-secret-for-the-test-receivers';
/** Wants every event; always answers 200. */
const everything = new WebhookReceiver(SECRET);
/** Wants case.opened only; each test says how it answers. */
const openings = new WebhookReceiver(SECRET);

let env: TestEnvironment;
/** Two replicas on one database: both deliver, as two reconciliation instances would. */
let replicas: ReconciliationUnderTest[] = [];
const recon = () => replicas[0] as ReconciliationUnderTest;

beforeAll(async () => {
  const [all, opened] = await Promise.all([everything.start(), openings.start()]);
  env = await createTestEnvironment({
    FULL_SCAN_THREADS: 'false',
    WEBHOOK_ENDPOINTS: `${all} *; ${opened} case.opened`,
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_BACKOFF_MS: '300',
    WEBHOOK_POLL_MS: '50',
  });
  replicas = [await startReconciliation(env), await startReconciliation(env)];
});

afterAll(async () => {
  for (const replica of replicas) await replica.close();
  await env?.destroy();
  await Promise.all([everything.stop(), openings.stop()]);
});

/** Opens one case per order (amount-mismatch, a rule that needs a person) in one check; answers the orderIds. */
async function openCases(count: number): Promise<string[]> {
  const views = Array.from({ length: count }, () => oneDivergencePerRule()['amount-mismatch']);
  for (const view of views) env.fakes.put(view);
  const orderIds = views.map((view) => view.orderId);
  await recon().run({ kind: 'order', orderIds });
  return orderIds;
}

const caseOf = async (orderId: string): Promise<string> => (await recon().dataSource.query('SELECT id FROM repair_case WHERE order_id = $1', [orderId]))[0].id;

interface DeliveryView {
  id: string;
  status: string;
  attempts: number;
  orderId: string;
  event: string;
  lastStatusCode: number | null;
}

describe('when a case changes', () => {
  it('posts each event the endpoint wants, signed, with a delivery id, in the order of the changes', async () => {
    const [orderId] = await openCases(1);
    const caseId = await caseOf(orderId as string);
    await recon().http('POST', `/cases/${caseId}/resolve`, { body: { actor: 'ada', note: 'refunded by hand' } });
    await recon().http('POST', `/cases/${caseId}/reopen`, { body: { actor: 'ada', reason: 'the customer called again' } });

    const received = await eventually(async () => {
      const got = everything.about([orderId as string]);
      expect(got).toHaveLength(5);
      return got;
    });
    expect(received.map((r) => r.body.event)).toEqual(['case.opened', 'case.needs-attention', 'case.repaired', 'case.reopened', 'case.needs-attention']);
    expect(received.every((r) => r.signatureValid)).toBe(true);
    for (const request of received) {
      expect(request.headers['x-reconciliation-delivery']).toBe(request.body.deliveryId);
      expect(request.headers['x-reconciliation-event']).toBe(request.body.event);
      expect(request.body.case).toMatchObject({ id: caseId, orderId, rule: 'amount-mismatch' });
    }
    expect(received[2]?.body).toMatchObject({ actor: 'ada', reason: 'refunded by hand', case: { status: 'RESOLVED', previousStatus: 'NEEDS_ATTENTION' } });
    // Only case.opened went to the endpoint that wants only that.
    await eventually(async () => expect(openings.about([orderId as string]).map((r) => r.body.event)).toEqual(['case.opened']));
  });

  it('retries a receiver answering 500 twice, then delivers; later deliveries wait their turn', async () => {
    const failures = new Map<string, number>();
    openings.answer = ({ body }) => {
      const seen = failures.get(body.deliveryId) ?? 0;
      failures.set(body.deliveryId, seen + 1);
      return failures.size === 1 && seen < 2 ? 500 : 200;
    };
    const orderIds = await openCases(3);

    const received = await eventually(async () => {
      const got = openings.about(orderIds);
      expect(got.filter((r) => r.answered === 200)).toHaveLength(3);
      return got;
    });
    const written: Array<{ id: string }> = await recon().dataSource.query(
      `SELECT id FROM webhook_delivery WHERE order_id = ANY($1) AND endpoint LIKE $2 ORDER BY seq`,
      [orderIds, `${openingsUrl()}%`],
    );
    const [first, second, third] = written.map((row) => row.id);
    expect(received.map((r) => [r.body.deliveryId, r.headers['x-reconciliation-attempt'], r.answered])).toEqual([
      [first, '1', 500],
      [first, '2', 500],
      [first, '3', 200],
      [second, '1', 200],
      [third, '1', 200],
    ]);
    expect(received.every((r) => r.signatureValid)).toBe(true);

    const detail = await recon().http<{ status: string; history: Array<{ attempt: number; at: string; statusCode: number; outcome: string; nextAttemptAt: string | null; error: string | null }> }>(
      'GET',
      `/webhooks/deliveries/${first}`,
    );
    expect(detail.body.status).toBe('DELIVERED');
    expect(detail.body.history.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 500, 'retrying'],
      [3, 200, 'delivered'],
    ]);
    expect(detail.body.history[0]?.error).toMatch(/^HTTP 500/);
    expect(detail.body.history[0]?.nextAttemptAt).not.toBeNull();
    // Backoff doubles: the third attempt came at least 300 + 600 ms after the first.
    const [one, , three] = detail.body.history;
    expect(Date.parse(three?.at ?? '') - Date.parse(one?.at ?? '')).toBeGreaterThanOrEqual(900);
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS, lists the delivery as failed, and redelivers it when asked', async () => {
    openings.answer = () => 503;
    const [orderId] = await openCases(1);
    const failed = await eventually(async () => {
      const list = await recon().http<DeliveryView[]>('GET', '/webhooks/deliveries?status=failed');
      const mine = list.body.find((delivery) => delivery.orderId === orderId);
      expect(mine).toMatchObject({ status: 'FAILED', attempts: 3, event: 'case.opened', lastStatusCode: 503 });
      return mine as DeliveryView;
    });
    expect((await recon().http<DeliveryView[]>('GET', '/webhooks/deliveries?status=pending')).body.find((d) => d.id === failed.id)).toBeUndefined();

    openings.answer = () => 200;
    const redelivered = await recon().http<DeliveryView>('POST', `/webhooks/deliveries/${failed.id}/redeliver`, { body: { actor: 'grace', reason: 'receiver fixed' } });
    expect(redelivered.status).toBe(200);
    expect(redelivered.body.status).toBe('PENDING');
    await eventually(async () => expect((await recon().http<DeliveryView>('GET', `/webhooks/deliveries/${failed.id}`)).body).toMatchObject({ status: 'DELIVERED', attempts: 4 }));
    expect(openings.about([orderId as string]).map((r) => r.answered)).toEqual([503, 503, 503, 200]);

    const audit = (await recon().http<Array<{ actor: string; action: string; subject: string; reason: string }>>('GET', '/pipes/audit')).body;
    expect(audit[0]).toMatchObject({ actor: 'grace', action: 'redeliver-webhook', subject: failed.id, reason: 'receiver fixed' });
    const again = await recon().http<Problem>('POST', `/webhooks/deliveries/${failed.id}/redeliver`, { body: { actor: 'grace' } });
    expect(again.status).toBe(400);
    expect(again.body.detail).toMatch(/reason/);
  });

  it('writes deliveries in the transaction of the case change: a change rolled back sends nothing', async () => {
    const [orderId] = await openCases(1);
    const caseId = await caseOf(orderId as string);
    const deliveriesOf = async () => (await recon().dataSource.query('SELECT count(*)::int AS n FROM webhook_delivery WHERE case_id = $1', [caseId]))[0].n as number;
    await eventually(async () => expect(await deliveriesOf()).toBe(3)); // opened (2 endpoints), needs attention (1)

    const store = recon().app.get(CaseStore);
    await expect(
      recon().dataSource.transaction(async (manager) => {
        await store.transition(manager, { id: caseId, status: 'NEEDS_ATTENTION', repairKind: 'manual' }, 'resolve', { actor: 'ada', reason: 'fixed', now: new Date() });
        expect(await manager.query('SELECT count(*)::int AS n FROM webhook_delivery WHERE case_id = $1', [caseId])).toEqual([{ n: 4 }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await deliveriesOf()).toBe(3);
  });

  it('lists the endpoints, the events each wants and their deliveries by status', async () => {
    const answer = await recon().http<{ endpoints: Array<{ endpoint: string; events: string[]; deliveries: Record<string, number> }> }>('GET', '/webhooks');
    expect(answer.body.endpoints.map((e) => e.events)).toEqual([['case.opened', 'case.needs-attention', 'case.repaired', 'case.reopened'], ['case.opened']]);
    expect(answer.body.endpoints[1]?.deliveries.DELIVERED).toBeGreaterThanOrEqual(5);
  });

  it('counts delivery attempts by outcome on /metrics', async () => {
    const metrics = (await recon().http<string>('GET', '/metrics', { apiKey: null })).body;
    const count = (outcome: string) => Number(new RegExp(`^reconciliation_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(metrics)?.[1]);
    // The suite so far: the 500s and 503s retried, the 503s given up on, everything else delivered.
    expect(count('retrying')).toBeGreaterThanOrEqual(4);
    expect(count('failed')).toBeGreaterThanOrEqual(1);
    expect(count('delivered')).toBeGreaterThanOrEqual(10);
  });
});

function openingsUrl(): string {
  const endpoints = env.env['WEBHOOK_ENDPOINTS'] as string;
  return (endpoints.split(';')[1] as string).trim().split(' ')[0] as string;
}
