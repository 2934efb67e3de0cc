import { randomUUID } from 'node:crypto';
import { orderView } from '../src/rules/order-view';
import { orderRecord } from './support/milestones';
import { suiteOnItsOwn } from './support/reconciliation-under-test';

jest.setTimeout(120_000);

const TEN_MINUTES = 600_000;

const suite = suiteOnItsOwn({ RULE_GRACE_MS_STUCK_AT_INVENTORY: String(TEN_MINUTES) });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const openCases = async () => (await suite.recon.dataSource.query(`SELECT count(*)::int AS n FROM repair_case`))[0].n as number;

describe("a rule's what-if", () => {
  it('says which orders another grace would make violations, and which open cases it would not have opened, opening nothing', async () => {
    const recent = randomUUID();
    const old = randomUUID();
    suite.env.fakes.put(orderView(recent, { order: orderRecord(recent, { placedAt: new Date(Date.now() - 60_000).toISOString() }) }));
    suite.env.fakes.put(orderView(old, { order: orderRecord(old) }));
    await suite.recon.run({ kind: 'order', orderIds: [recent, old] });
    const before = await openCases();
    expect(before).toBe(1); // the old one; the recent one is within its ten minutes

    const shorter = await suite.recon.http<Loose>('GET', '/rules/stuck-at-inventory/what-if?graceMs=30000');
    expect(shorter.status).toBe(200);
    expect(shorter.body).toMatchObject({ rule: 'stuck-at-inventory', graceMs: 30_000, currentGraceMs: TEN_MINUTES, graceSetting: 'RULE_GRACE_MS_STUCK_AT_INVENTORY' });
    expect(shorter.body.wouldOpen.orders.map((order: Loose) => order.orderId)).toEqual([recent]);
    expect(shorter.body.stillOpen.orders.map((order: Loose) => order.orderId)).toEqual([old]);

    const longer = await suite.recon.http<Loose>('GET', `/rules/stuck-at-inventory/what-if?graceMs=${100 * 365 * 86_400_000}`);
    expect(longer.body.wouldOpen.count).toBe(0);
    expect(longer.body.wouldNotHaveOpened.orders.map((order: Loose) => order.orderId)).toEqual([old]);
    expect(longer.body.stillWithinGrace.orders.map((order: Loose) => order.orderId)).toEqual([recent]);

    expect(await openCases()).toBe(before);
  });

  it('refuses a grace that is not a whole number of ms, naming it, and answers 404 for an unknown rule', async () => {
    const bad = await suite.recon.http<Loose>('GET', '/rules/stuck-at-inventory/what-if?graceMs=soon');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('graceMs');
    expect((await suite.recon.http('GET', '/rules/no-such-rule/what-if?graceMs=1')).status).toBe(404);
  });
});
