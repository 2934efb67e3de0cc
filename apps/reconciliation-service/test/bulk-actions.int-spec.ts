import type { CaseDetail } from './support/api';
import { suiteOnItsOwn } from './support/reconciliation-under-test';
import { oneDivergencePerRule } from './support/scenarios';

jest.setTimeout(120_000);

const suite = suiteOnItsOwn({ FULL_SCAN_THREADS: 'false' });

interface Planned {
  id: string;
  orderId: string;
  rule: string;
  status: string;
  applies: boolean;
  to?: string;
  sends: string[];
  why?: string;
}
interface DryRun {
  dryRun: true;
  truncated: boolean;
  cases: Planned[];
  caseIds: string[];
}
interface Applied {
  bulkId: string;
  done: number;
  results: Array<{ id: string; outcome: string; why?: string }>;
}

const bulk = <T>(body: Record<string, unknown>, operator = 'bob') => suite.recon.http<T>('POST', '/cases/bulk', { body, headers: { 'x-operator': operator } });
const audit = async (caseId: string) => (await suite.recon.http<CaseDetail>('GET', `/cases/${caseId}`)).body.audit;

describe('many cases at once', () => {
  const mismatches = [1, 2, 3].map(() => oneDivergencePerRule()['amount-mismatch']);
  const uncaptured = [1, 2].map(() => oneDivergencePerRule()['dispatched-not-captured']);

  beforeAll(async () => {
    for (const view of [...mismatches, ...uncaptured]) suite.env.fakes.put(view);
    await suite.recon.run({ kind: 'order', orderIds: [...mismatches, ...uncaptured].map((view) => view.orderId) });
  });

  it('dry-runs first: exactly the cases the filter selects and what the action would send, changing nothing', async () => {
    const resolve = await bulk<DryRun>({ action: 'resolve', dryRun: true, filter: { rule: 'amount-mismatch', status: 'open' } });
    expect(resolve.status).toBe(200);
    expect(resolve.body.cases.map((kase) => kase.orderId).sort()).toEqual(mismatches.map((view) => view.orderId).sort());
    expect(resolve.body.cases.every((kase) => kase.applies && kase.to === 'RESOLVED' && kase.sends.length === 0)).toBe(true);
    expect(resolve.body.truncated).toBe(false);

    const retry = await bulk<DryRun>({ action: 'retry-repair', dryRun: true, filter: { service: 'payment', rule: 'dispatched-not-captured' } });
    expect(retry.body.cases.map((kase) => kase.orderId).sort()).toEqual(uncaptured.map((view) => view.orderId).sort());
    expect(retry.body.cases.map((kase) => kase.sends)).toEqual([['CapturePaymentRequested'], ['CapturePaymentRequested']]);

    // A retry of a rule without automatic repair does not apply, and says why.
    const manual = await bulk<DryRun>({ action: 'retry-repair', dryRun: true, filter: { rule: 'amount-mismatch' } });
    expect(manual.body.caseIds).toEqual([]);
    expect(manual.body.cases[0]?.why).toMatch(/no automatic repair/);

    for (const kase of resolve.body.cases) expect(await audit(kase.id)).toHaveLength(2); // opened, handed to a person
  });

  it('resolves the cases its dry run listed, each with its own audit entry naming the operator and the bulk action', async () => {
    const plan = await bulk<DryRun>({ action: 'resolve', dryRun: true, filter: { rule: 'amount-mismatch' } });
    const note = 'Refunded the differences by hand, OPS-77';
    const applied = await bulk<Applied>({ action: 'resolve', dryRun: false, caseIds: plan.body.caseIds, note });
    expect(applied.status).toBe(200);
    expect(applied.body.done).toBe(3);

    for (const caseId of plan.body.caseIds) {
      const last = (await audit(caseId)).at(-1);
      expect(last).toMatchObject({ actor: 'bob', from: 'NEEDS_ATTENTION', to: 'RESOLVED', detail: { bulk: { id: applied.body.bulkId, action: 'resolve', cases: 3 } } });
      expect(last?.reason).toBe(`Bulk resolve of 3 cases (${applied.body.bulkId}): ${note}`);
    }

    // Done is done: the same action again skips every case, saying why.
    const again = await bulk<Applied>({ action: 'resolve', dryRun: false, caseIds: plan.body.caseIds, note });
    expect(again.body.done).toBe(0);
    expect(again.body.results.every((result) => result.outcome === 'skipped' && /RESOLVED/.test(result.why ?? ''))).toBe(true);
  });

  it('retries repairs in one action: each case records the request and its repair job emits the commands', async () => {
    const plan = await bulk<DryRun>({ action: 'retry-repair', dryRun: true, filter: { rule: 'dispatched-not-captured' } });
    const applied = await bulk<Applied>({ action: 'retry-repair', dryRun: false, caseIds: plan.body.caseIds });
    expect(applied.body.done).toBe(2);
    for (const caseId of plan.body.caseIds) {
      const entries = await audit(caseId);
      expect(entries.find((entry) => entry.actor === 'bob')?.reason).toMatch(/^Repair retry requested\. Bulk retry-repair of 2 cases/);
    }
  });

  it('refuses an action without its note, naming the field', async () => {
    const answer = await bulk<{ errors: Array<{ field: string }> }>({ action: 'dismiss', dryRun: false, caseIds: [mismatches[0].orderId] });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('note');
  });

  it('exports any case list as CSV', async () => {
    const answer = await suite.recon.http<string>('GET', '/cases/export?rule=amount-mismatch&status=all');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = answer.body.trim().split('\r\n');
    expect(header?.split(',').slice(0, 5)).toEqual(['caseId', 'orderId', 'rule', 'severity', 'status']);
    expect(rows.map((row) => row.split(',')[1]).sort()).toEqual(mismatches.map((view) => view.orderId).sort());
    expect(rows.every((row) => row.split(',')[4] === 'RESOLVED')).toBe(true);
  });
});
