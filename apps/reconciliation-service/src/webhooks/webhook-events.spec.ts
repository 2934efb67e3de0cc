import { type CaseChange, plannedDeliveries, webhookEventOf, type WebhookEndpoint } from './webhook-events';

const change = (caseId: string, from: CaseChange['from'], to: CaseChange['to']): CaseChange => ({ caseId, from, to, at: new Date(0), actor: 'test', reason: 'why' });

describe('webhookEventOf', () => {
  it.each([
    [null, 'OPEN', 'case.opened'],
    ['OPEN', 'NEEDS_ATTENTION', 'case.needs-attention'],
    ['AUTO_REPAIRING', 'NEEDS_ATTENTION', 'case.needs-attention'],
    ['AUTO_REPAIRING', 'RESOLVED', 'case.repaired'],
    ['NEEDS_ATTENTION', 'RESOLVED', 'case.repaired'],
    ['RESOLVED', 'OPEN', 'case.reopened'],
    ['DISMISSED', 'OPEN', 'case.reopened'],
  ] as const)('names %s → %s as %s', (from, to, event) => {
    expect(webhookEventOf(from, to)).toBe(event);
  });

  it.each([
    ['OPEN', 'AUTO_REPAIRING'],
    ['NEEDS_ATTENTION', 'AUTO_REPAIRING'],
    ['OPEN', 'DISMISSED'],
    ['AUTO_REPAIRING', 'AUTO_REPAIRING'],
    ['NEEDS_ATTENTION', 'NEEDS_ATTENTION'],
  ] as const)('makes no event of %s → %s', (from, to) => {
    expect(webhookEventOf(from, to)).toBeNull();
  });
});

describe('plannedDeliveries', () => {
  const ops: WebhookEndpoint = { url: 'https://ops.example/hook', events: new Set(['case.needs-attention']) };
  const all: WebhookEndpoint = { url: 'https://all.example/hook', events: new Set(['case.opened', 'case.needs-attention', 'case.repaired', 'case.reopened']) };

  it('sends each change to the endpoints wanting its event, in the order of the changes', () => {
    const planned = plannedDeliveries([change('a', null, 'OPEN'), change('a', 'OPEN', 'NEEDS_ATTENTION'), change('b', 'OPEN', 'AUTO_REPAIRING')], [ops, all]);
    expect(planned.map((p) => [p.change.caseId, p.event, p.endpoint])).toEqual([
      ['a', 'case.opened', all.url],
      ['a', 'case.needs-attention', ops.url],
      ['a', 'case.needs-attention', all.url],
    ]);
  });

  it('plans nothing without endpoints', () => {
    expect(plannedDeliveries([change('a', null, 'OPEN')], [])).toEqual([]);
  });
});
