import { randomUUID } from 'node:crypto';
import { eventually } from '@commerce/testing';
import { CaseStore } from '../src/cases/case-store';
import { type OrderView, orderView } from '../src/rules/order-view';
import type { CaseDetail, CaseList, Problem, RuleList, RunDetail, RunList, Stats } from './support/api';
import { at, inventoryRecord, orderRecord } from './support/milestones';
import { createTestEnvironment, type ReconciliationUnderTest, startReconciliation, type TestEnvironment } from './support/reconciliation-under-test';
import { consistentOrders, oneDivergencePerRule } from './support/scenarios';

jest.setTimeout(120_000);

let env: TestEnvironment;
let recon: ReconciliationUnderTest;

beforeAll(async () => {
  // A short grace for stuck-at-inventory, so a deadline can fall due within a test. Full scans in
  // the main thread whatever the machine (crash-recovery.int-spec.ts runs them in threads).
  env = await createTestEnvironment({ RULE_GRACE_MS_STUCK_AT_INVENTORY: '2000', WATERMARK_OVERLAP_MS: '0', FULL_SCAN_THREADS: 'false' });
  recon = await startReconciliation(env);
});

afterAll(async () => {
  await recon?.close();
  await env?.destroy();
});

interface CaseRow {
  id: string;
  order_id: string;
  rule_id: string;
  status: string;
  detection_count: number;
  repair_attempts: number;
}

const casesOf = (orderIds: string[]): Promise<CaseRow[]> =>
  recon.dataSource.query(`SELECT id, order_id, rule_id, status, detection_count, repair_attempts FROM repair_case WHERE order_id = ANY($1) ORDER BY order_id, rule_id`, [
    orderIds,
  ]);
const caseOf = async (orderId: string): Promise<CaseRow> => {
  const rows = await casesOf([orderId]);
  expect(rows).toHaveLength(1);
  return rows[0];
};
const outboxOf = (orderId: string): Promise<Array<{ event_type: string; envelope: Record<string, unknown>; published_at: Date | null }>> =>
  recon.dataSource.query(`SELECT event_type, envelope, published_at FROM outbox_message WHERE message_key = $1 ORDER BY id`, [orderId]);
const checkOrders = (...orderIds: string[]) => recon.run({ kind: 'order', orderIds });

/** A stuck-at-inventory order whose records changed just now (so the incremental scan sees it). */
function placedJustNow(orderId: string, placedAgoMs: number) {
  const placedAt = new Date(Date.now() - placedAgoMs).toISOString();
  return { ...orderRecord(orderId, { placedAt }), updatedAt: new Date().toISOString() };
}

describe('a full run', () => {
  const divergent = oneDivergencePerRule();
  const consistent = consistentOrders(40);

  beforeAll(() => {
    for (const view of [...consistent, ...Object.values(divergent)]) env.fakes.put(view);
  });

  it('opens exactly one case per divergence, of the right rule, and none for consistent orders', async () => {
    const run = await recon.run({ kind: 'full' });

    expect(run).toMatchObject({ kind: 'full', status: 'completed', ordersChecked: 52, unavailableServices: {}, incompleteRules: [] });
    expect(run.counts.outcomes.casesOpened).toBe(12);
    expect(await casesOf(consistent.map((v) => v.orderId))).toEqual([]);
    for (const [rule, view] of Object.entries(divergent)) {
      expect(await casesOf([view.orderId])).toEqual([expect.objectContaining({ rule_id: rule, detection_count: 1 })]);
      expect(run.counts.perRule[rule].violated).toBe(1);
    }
  });

  it('hands the rules without compensation to a person, and repairs the others through the outbox', async () => {
    for (const rule of ['cancelled-but-dispatched', 'amount-mismatch', 'orphan-record']) {
      expect(await caseOf(divergent[rule].orderId)).toMatchObject({ status: 'NEEDS_ATTENTION' });
    }
    const auto = Object.entries(divergent).filter(([rule]) => !['cancelled-but-dispatched', 'amount-mismatch', 'orphan-record'].includes(rule));
    await eventually(async () => {
      for (const [, view] of auto) expect(await caseOf(view.orderId)).toMatchObject({ status: 'AUTO_REPAIRING', repair_attempts: 1 });
    });
    const [capture] = await outboxOf(divergent['dispatched-not-captured'].orderId);
    const kase = await caseOf(divergent['dispatched-not-captured'].orderId);
    expect(capture).toMatchObject({
      event_type: 'CapturePaymentRequested',
      envelope: { producer: 'reconciliation-service', payload: { caseId: kase.id, rule: 'dispatched-not-captured', shipmentId: 'shp-1' } },
    });
    // The evidence is what the detection read (from compact pages, times as epoch ms), kept in the
    // contract's full form; the repair, which reads only its rule's services, leaves it so.
    const evidence = (await recon.http<{ evidence: OrderView }>('GET', `/cases/${kase.id}`)).body.evidence;
    expect(evidence.services).toEqual(divergent['dispatched-not-captured'].services);
  });

  it('reports the cases by rule and status, the run and the repairs on /metrics', async () => {
    const response = await fetch(`${recon.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    const body = await response.text();
    const value = (name: string, labels: string) => Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(body)?.[1]);
    expect(value('reconciliation_open_cases', 'rule="cancelled-but-dispatched",status="NEEDS_ATTENTION"')).toBe(1);
    expect(value('reconciliation_open_case_oldest_seconds', 'rule="cancelled-but-dispatched",status="NEEDS_ATTENTION"')).toBeGreaterThanOrEqual(0);
    expect(value('reconciliation_cases_opened_total', 'rule="amount-mismatch"')).toBe(1);
    expect(value('reconciliation_last_successful_run_timestamp_seconds', 'kind="full"') * 1000).toBeGreaterThan(Date.now() - 300_000);
    expect(value('reconciliation_last_run_duration_seconds', 'kind="full",status="completed"')).toBeGreaterThan(0);
    expect(value('reconciliation_repairs_total', 'outcome="emitted"')).toBeGreaterThanOrEqual(1);
  });

  it('does not duplicate a case when the divergence is seen again', async () => {
    const before = await casesOf(Object.values(divergent).map((v) => v.orderId));
    const run = await recon.run({ kind: 'full' });

    expect(run.counts.outcomes).toMatchObject({ casesOpened: 0, casesRedetected: 12 });
    const after = await casesOf(Object.values(divergent).map((v) => v.orderId));
    expect(after.map((c) => c.id)).toEqual(before.map((c) => c.id));
    expect(after.every((c) => c.detection_count === 2)).toBe(true);
  });
});

describe('auto-repair', () => {
  it("writes the command to the outbox with the case's move to AUTO_REPAIRING, then the case closes itself once the invariant holds", async () => {
    const orderId = randomUUID();
    env.fakes.put(orderView(orderId, { order: orderRecord(orderId) }));

    await checkOrders(orderId);
    const kase = await eventually(async () => {
      const row = await caseOf(orderId);
      expect(row).toMatchObject({ rule_id: 'stuck-at-inventory', status: 'AUTO_REPAIRING' });
      return row;
    });
    const [command] = await outboxOf(orderId);
    expect(command).toMatchObject({
      event_type: 'RepublishEventsRequested',
      envelope: { orderId, payload: { caseId: kase.id, rule: 'stuck-at-inventory', eventTypes: ['OrderPlaced'], targetService: 'inventory-service' } },
    });
    await eventually(async () => expect((await outboxOf(orderId))[0].published_at).not.toBeNull());

    // The compensation lands: inventory now has its reservation.
    env.fakes.services.inventory.put(inventoryRecord(orderId, { reservedAt: at(1) }));
    const run = await checkOrders(orderId);

    expect(run.counts.outcomes.casesResolved).toBe(1);
    const detail = (await recon.http<CaseDetail>('GET', `/cases/${kase.id}`)).body;
    expect(detail.status).toBe('RESOLVED');
    expect(detail.audit.map((a) => [a.actor.startsWith('job:') ? 'job' : a.actor, a.from, a.to])).toEqual([
      ['job', null, 'OPEN'],
      ['job', 'OPEN', 'AUTO_REPAIRING'],
      ['reconciliation', 'AUTO_REPAIRING', 'RESOLVED'],
    ]);
    expect(detail.resolution).toMatch(/invariant holds again/);

    // Closing many at once is guarded on the status seen, as one at a time is: a case that moved
    // meanwhile is left alone, with no audit row.
    const store = recon.app.get(CaseStore);
    const stale = await recon.dataSource.transaction((manager) =>
      store.transitionMany(manager, [{ id: kase.id, status: 'AUTO_REPAIRING', repairKind: 'auto' }], 'selfClose', { actor: 'test', reason: 'stale', now: new Date() }),
    );
    expect(stale).toBe(0);
    expect((await recon.http<CaseDetail>('GET', `/cases/${kase.id}`)).body.audit).toHaveLength(3);
  });
});

describe('a service that does not answer', () => {
  afterEach(() => {
    env.fakes.services.shipment.mode = 'up';
  });

  it('makes the run incomplete and opens no case for the rules needing it, nor closes one', async () => {
    const stuckAtShipment = oneDivergencePerRule()['stuck-at-shipment'];
    const needsShipment = stuckAtShipment.orderId;
    const needsNoShipment = randomUUID();
    env.fakes.put(stuckAtShipment);
    env.fakes.put(orderView(needsNoShipment, { order: orderRecord(needsNoShipment) }));
    const openNeedingShipment = await recon.dataSource.query(
      `SELECT count(*)::int AS n FROM repair_case WHERE rule_id = 'dispatched-not-captured' AND status IN ('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION')`,
    );
    env.fakes.services.shipment.mode = 'down';

    const check = await checkOrders(needsShipment, needsNoShipment);
    expect(check.status).toBe('incomplete');
    expect(Object.keys(check.unavailableServices)).toEqual(['shipment']);
    expect(check.incompleteRules).toEqual(expect.arrayContaining(['stuck-at-shipment', 'dispatched-not-captured', 'amount-mismatch', 'orphan-record']));
    expect(check.incompleteRules).not.toContain('stuck-at-inventory');
    expect(check.counts.perRule['stuck-at-shipment']).toMatchObject({ unknown: 2, violated: 0 });
    expect(await casesOf([needsShipment])).toEqual([]);
    expect(await casesOf([needsNoShipment])).toEqual([expect.objectContaining({ rule_id: 'stuck-at-inventory' })]);

    const full = await recon.run({ kind: 'full' });
    expect(full.status).toBe('incomplete');
    expect(full.unavailableServices).toHaveProperty('shipment');
    expect(await casesOf([needsShipment])).toEqual([]);
    const stillOpen = await recon.dataSource.query(
      `SELECT count(*)::int AS n FROM repair_case WHERE rule_id = 'dispatched-not-captured' AND status IN ('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION')`,
    );
    expect(stillOpen).toEqual(openNeedingShipment);
  });
});

describe('operators', () => {
  it('resolve, reopen and dismiss a manual case through REST, each with an audit entry', async () => {
    const view = oneDivergencePerRule()['cancelled-but-dispatched'];
    env.fakes.put(view);
    await checkOrders(view.orderId);
    const { id } = await caseOf(view.orderId);
    expect((await recon.http<CaseDetail>('GET', `/cases/${id}`)).body.status).toBe('NEEDS_ATTENTION');

    const noNote = await recon.http<Problem>('POST', `/cases/${id}/resolve`, { body: {}, headers: { 'X-Operator': 'alice' } });
    expect(noNote.status).toBe(400);
    expect(noNote.headers.get('content-type')).toContain('application/problem+json');
    expect(noNote.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'note' })]));
    const noActor = await recon.http<Problem>('POST', `/cases/${id}/resolve`, { body: { note: 'recalled' } });
    expect(noActor.status).toBe(400);
    expect(noActor.body.errors).toEqual([expect.objectContaining({ field: 'actor' })]);
    const noRepair = await recon.http('POST', `/cases/${id}/retry-repair`, { body: { actor: 'alice' } });
    expect(noRepair.status).toBe(409);

    const resolved = await recon.http<CaseDetail>('POST', `/cases/${id}/resolve`, { body: { note: 'Parcel recalled by the carrier.' }, headers: { 'X-Operator': 'alice' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'RESOLVED', resolution: 'Parcel recalled by the carrier.' });

    const reopened = await recon.http<CaseDetail>('POST', `/cases/${id}/reopen`, { body: { reason: 'The carrier lost it.', actor: 'bob' } });
    expect(reopened.body.status).toBe('NEEDS_ATTENTION');

    const dismissed = await recon.http<CaseDetail>('POST', `/cases/${id}/dismiss`, { body: { reason: 'Customer keeps the goods; refunded.' }, headers: { 'X-Operator': 'carol' } });
    expect(dismissed.body.status).toBe('DISMISSED');
    expect(dismissed.body.audit.slice(2).map((a) => [a.actor, a.from, a.to, a.reason])).toEqual([
      ['alice', 'NEEDS_ATTENTION', 'RESOLVED', 'Parcel recalled by the carrier.'],
      ['bob', 'RESOLVED', 'OPEN', 'The carrier lost it.'],
      ['bob', 'OPEN', 'NEEDS_ATTENTION', expect.stringContaining('a person')],
      ['carol', 'NEEDS_ATTENTION', 'DISMISSED', 'Customer keeps the goods; refunded.'],
    ]);
    expect(dismissed.body.timeline.map((e) => e.at)).toEqual(dismissed.body.timeline.map((e) => e.at).sort());
    expect(dismissed.body.evidence.services.shipment).toMatchObject({ status: 'DISPATCHED' });

    // Dismissed: accepted, not reported again for this order and rule.
    const again = await checkOrders(view.orderId);
    expect(again.counts.outcomes).toMatchObject({ casesOpened: 0, suppressedByDismissal: 1 });
    expect(await casesOf([view.orderId])).toHaveLength(1);
  });

  it('lists cases by status, rule, order and age, keyset-paged, and refuses bad filters with problem details', async () => {
    const page1 = await recon.http<CaseList>('GET', '/cases?status=open&limit=5');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(5);
    const page2 = await recon.http<CaseList>('GET', `/cases?status=open&limit=5&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((c) => c.id)).not.toEqual(expect.arrayContaining(page1.body.items.map((c) => c.id)));
    const byRule = await recon.http<CaseList>('GET', '/cases?rule=amount-mismatch');
    expect(byRule.body.items.every((c) => c.rule === 'amount-mismatch')).toBe(true);
    expect((await recon.http<CaseList>('GET', '/cases?olderThan=1d')).body.items).toEqual([]);
    expect((await recon.http<CaseList>('GET', '/cases?olderThan=1s')).body.items.length).toBeGreaterThan(0);
    const badRule = await recon.http<Problem>('GET', '/cases?rule=nope');
    expect(badRule.status).toBe(400);
    expect(badRule.body.errors).toEqual([expect.objectContaining({ field: 'rule' })]);
    expect((await recon.http<Problem>('GET', '/cases?olderThan=yesterday')).body.errors).toEqual([expect.objectContaining({ field: 'olderThan' })]);
    expect((await recon.http<Problem>('GET', '/cases/not-a-uuid')).body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });
});

describe('incremental runs', () => {
  it('scan everything the first time, then what changed since the watermarks, plus open cases and due deadlines', async () => {
    const first = await recon.run({ kind: 'incremental' });
    expect(first).toMatchObject({ kind: 'incremental', mode: 'full', status: 'completed' });

    const changed = randomUUID();
    const inGrace = randomUUID();
    env.fakes.services.order.put(placedJustNow(changed, 3_600_000), placedJustNow(inGrace, 0));
    for (const fake of Object.values(env.fakes.services)) fake.askedByOrderId = [];
    const second = await recon.run({ kind: 'incremental' });
    // The order service's changed-orders page brought inGrace's record: it is not asked for it again;
    // the others, which had no change to report, are. (`changed` opens a case, whose repair job
    // reads the order from every service.)
    expect(env.fakes.services.order.askedByOrderId).not.toContain(inGrace);
    expect(env.fakes.services.inventory.askedByOrderId).toContain(inGrace);
    expect(second).toMatchObject({ mode: 'incremental', status: 'completed' });
    expect(Object.keys(second.watermarks ?? {})).toHaveLength(5);
    expect(await casesOf([changed])).toEqual([expect.objectContaining({ rule_id: 'stuck-at-inventory' })]);
    expect(await casesOf([inGrace])).toEqual([]);
    expect(second.counts.perRule['stuck-at-inventory']['within-grace']).toBe(1);
    const openCases = (await recon.dataSource.query(`SELECT count(DISTINCT order_id)::int AS n FROM repair_case WHERE status IN ('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION')`))[0].n;
    expect(second.ordersChecked).toBe(openCases + 1); // the two changed orders; `changed` has an open case now

    // Nothing changed since, but inGrace's deadline falls due: the next run checks it (and the open cases) again.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const third = await recon.run({ kind: 'incremental' });
    expect(await casesOf([inGrace])).toEqual([expect.objectContaining({ rule_id: 'stuck-at-inventory' })]);
    expect(third.counts.outcomes.casesOpened).toBe(1);
  });
});

describe('the API', () => {
  it('lists the rules with their thresholds, runs paged, and stats for the dashboard', async () => {
    const rules = (await recon.http<RuleList>('GET', '/rules')).body.items;
    expect(rules).toHaveLength(12);
    expect(rules.find((r) => r.id === 'stuck-at-inventory')).toMatchObject({ graceMs: 2000, defaultGraceMs: 120_000, graceSetting: 'RULE_GRACE_MS_STUCK_AT_INVENTORY' });

    const runs = await recon.http<RunList>('GET', '/runs?limit=2');
    expect(runs.body.items).toHaveLength(2);
    const more = await recon.http<RunList>('GET', `/runs?limit=2&cursor=${runs.body.nextCursor}`);
    expect(more.body.items[0].queuedAt <= runs.body.items[1].queuedAt).toBe(true);
    const detail = await recon.http<RunDetail>('GET', `/runs/${runs.body.items[0].id}`);
    expect(detail.body.job).toMatchObject({ state: 'completed' });

    const stats = (await recon.http<Stats>('GET', '/stats')).body;
    expect(stats.openCases.total).toBeGreaterThan(0);
    expect(stats.openCases.byAge['<1h']).toBe(stats.openCases.total);
    expect(stats.mismatchesPerHour.length).toBeGreaterThan(0);
    expect(stats.lastRuns).toHaveLength(5);
    expect(stats.queues.runs).toHaveProperty('completed');

    const bad = await recon.http<Problem>('POST', '/runs', { body: { kind: 'order' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'orderIds' })]));
  });
});
