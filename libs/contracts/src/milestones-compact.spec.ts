import { milestonesPageSchema, type OrderMilestones } from './milestones';
import {
  compactItemProblem,
  compactOrderMilestones,
  CompactPageError,
  CompactPageReader,
  compactPageText,
  compactTime,
  expandOrderMilestones,
  fullOrderMilestones,
  isoTime,
  milestonesPageProblem,
  parseCompactOrderMilestones,
} from './milestones-compact';

const payment: OrderMilestones = {
  orderId: '6a3e0b3c-0f5e-4c1b-9d59-0d7c8f0c2f11',
  status: 'PARTIALLY_REFUNDED',
  updatedAt: '2025-01-01T10:31:00.123456Z',
  milestones: [
    { name: 'AUTHORIZED', at: '2025-01-01T10:02:00.000Z', ref: 'pay-1', amountMinor: 5000, currency: 'EUR' },
    { name: 'CAPTURED', at: '2025-01-01T10:11:00.250Z', ref: 'shp-1', amountMinor: 5000, currency: 'EUR' },
    { name: 'REFUNDED', at: '2025-01-01T11:00:00+01:00', ref: 'ref-1', amountMinor: 1250, currency: 'EUR', detail: { reason: 'damaged', paymentId: 'pay-1' } },
    { name: 'NOTE', at: '2025-01-01T10:40:00.000Z', quantity: 2 },
    { name: 'BARE', at: '2025-01-01T10:41:00.000Z' },
  ],
  facts: { paymentId: 'pay-1', authorizedMinor: 5000, capturedMinor: 5000, refundedMinor: 1250, currency: 'EUR', voided: false, note: null },
};

describe('the compact form of /milestones items', () => {
  it('gives back every item exactly, field for field and character for character', () => {
    const compact = compactOrderMilestones(payment);
    expect(expandOrderMilestones(JSON.parse(JSON.stringify(compact)))).toEqual(payment);
    expect(JSON.stringify(expandOrderMilestones(compact))).toBe(JSON.stringify(payment));
  });

  it('writes times as epoch ms only where they say the ISO text exactly', () => {
    expect(compactTime('2025-01-01T10:02:00.000Z')).toBe(Date.parse('2025-01-01T10:02:00.000Z'));
    // Microseconds, another offset, no fraction: the text stays, so nothing is lost.
    for (const text of ['2025-01-01T10:31:00.123456Z', '2025-01-01T11:00:00+01:00', '2025-01-01T10:02:00Z', 'not a time']) {
      expect(compactTime(text)).toBe(text);
      expect(isoTime(compactTime(text))).toBe(text);
    }
  });

  it('leaves trailing absent fields out and writes an absent one before a present one as null', () => {
    const [, , , milestones] = compactOrderMilestones(payment);
    expect(milestones[0]).toEqual(['AUTHORIZED', Date.parse('2025-01-01T10:02:00.000Z'), 'pay-1', 5000, 'EUR']);
    expect(milestones[3]).toEqual(['NOTE', Date.parse('2025-01-01T10:40:00.000Z'), null, null, null, 2]);
    expect(milestones[4]).toEqual(['BARE', Date.parse('2025-01-01T10:41:00.000Z')]);
  });

  it('is read as objects whose times are epoch ms where the page gave numbers', () => {
    const read = parseCompactOrderMilestones(compactOrderMilestones(payment));
    expect(read.milestones[0]).toEqual({ name: 'AUTHORIZED', at: Date.parse('2025-01-01T10:02:00.000Z'), ref: 'pay-1', amountMinor: 5000, currency: 'EUR' });
    expect(read.milestones[2].at).toBe('2025-01-01T11:00:00+01:00');
    expect(read.updatedAt).toBe('2025-01-01T10:31:00.123456Z');
  });

  it('is about half the bytes of the full form', () => {
    const full = JSON.stringify(payment).length;
    const compact = JSON.stringify(compactOrderMilestones(payment)).length;
    expect(compact).toBeLessThan(full * 0.7);
  });
});

describe('milestonesPageProblem (the full form)', () => {
  const full = { service: 'payment-service', nextCursor: null, items: [payment] };

  it('accepts what the contract schema accepts', () => {
    expect(milestonesPageSchema.safeParse(full).success).toBe(true);
    expect(milestonesPageProblem(full)).toBeNull();
  });

  const now = new Date().toISOString();
  const bad = [
    { ...full, service: '' },
    { ...full, items: 'nope' },
    { ...full, nextCursor: 3 },
    { ...full, items: [{ orderId: 'o-1', status: 'X', updatedAt: 'yesterday', milestones: [], facts: {} }] },
    { ...full, items: [{ orderId: 'o-1', status: 'X', updatedAt: now, milestones: [{ name: 'A' }], facts: {} }] },
    { ...full, items: [{ orderId: 'o-1', status: 'X', updatedAt: now, milestones: [], facts: null }] },
    { ...full, items: [{ orderId: 'o-1', status: 'X', updatedAt: now, milestones: [{ name: 'A', at: now, amountMinor: 1.5 }], facts: {} }] },
    { ...full, items: [{ orderId: 'o-1', status: 'X', updatedAt: now, milestones: [{ name: 'A', at: now, ref: 7 }], facts: {} }] },
  ];
  it.each(bad.map((page, i) => [i, page]))('refuses what the contract schema refuses (%i)', (_i, page) => {
    expect(milestonesPageSchema.safeParse(page).success).toBe(false);
    expect(milestonesPageProblem(page)).not.toBeNull();
  });

  it('refuses a page that says it is in another form', () => {
    expect(milestonesPageProblem({ ...full, format: 'compact' })).toMatch(/format/);
  });
});

describe('a compact page', () => {
  const second: OrderMilestones = { ...payment, orderId: '7b', milestones: [], facts: {} };
  const text = compactPageText('payment-service', [payment, second], '7b');

  it('is a header line and one line per item', () => {
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0])).toEqual({ service: 'payment-service', format: 'compact', nextCursor: '7b' });
    expect(JSON.parse(lines[1])).toEqual(compactOrderMilestones(payment));
  });

  it('is read item by item into what the full form says, whose schema accepts it', () => {
    const reader = new CompactPageReader(text);
    expect(reader.service).toBe('payment-service');
    expect(reader.nextCursor).toBe('7b');
    const items = [...reader].map(fullOrderMilestones);
    expect(items).toEqual([payment, second]);
    expect(milestonesPageSchema.safeParse({ service: reader.service, nextCursor: reader.nextCursor, items }).success).toBe(true);
    expect([...new CompactPageReader(compactPageText('payment-service', [], null))]).toEqual([]);
  });

  it('refuses a header that is not a compact page header, before any item', () => {
    expect(() => new CompactPageReader('not json')).toThrow(CompactPageError);
    expect(() => new CompactPageReader(JSON.stringify({ service: 'payment-service', nextCursor: null }))).toThrow(/format/);
    expect(() => new CompactPageReader(JSON.stringify({ service: '', format: 'compact', nextCursor: null }))).toThrow(/service/);
  });

  const item = compactOrderMilestones(payment);
  const header = JSON.stringify({ service: 'payment-service', format: 'compact', nextCursor: null });
  const bad: Array<[string, unknown]> = [
    ['an item that is an object', payment],
    ['an item of four fields', item.slice(0, 4)],
    ['no orderId', ['', ...item.slice(1)]],
    ['updatedAt not a time', [item[0], item[1], 'yesterday', item[3], item[4]]],
    ['a fractional epoch time', [item[0], item[1], 1.5, item[3], item[4]]],
    ['milestones not an array', [item[0], item[1], item[2], {}, item[4]]],
    ['a milestone without its time', [item[0], item[1], item[2], [['AUTHORIZED']], item[4]]],
    ['an amount that is no integer', [item[0], item[1], item[2], [['CAPTURED', 1, 'shp-1', 12.5]], item[4]]],
    ['facts not an object', [item[0], item[1], item[2], item[3], [1]]],
  ];
  it.each(bad)('refuses, when it gets to it, an item with %s', (_what, wrong) => {
    expect(compactItemProblem(wrong)).not.toBeNull();
    const reader = new CompactPageReader([header, JSON.stringify(item), JSON.stringify(wrong)].join('\n'));
    const read: unknown[] = [];
    expect(() => {
      for (const parsed of reader) read.push(parsed);
    }).toThrow(/item 1/);
    expect(read).toHaveLength(1);
  });

  it('refuses a line that is not JSON', () => {
    expect(() => [...new CompactPageReader(`${header}\n[1,`)]).toThrow(/item 0 is not JSON/);
  });
});
