import type { RepairCaseEntity } from '../case.entity';
import { casesCsv } from './case-export';

const at = new Date('2025-01-15T10:00:00.000Z');
const kase = (overrides: Partial<RepairCaseEntity>): RepairCaseEntity =>
  ({
    id: 'c-1',
    orderId: 'o-1',
    ruleId: 'amount-mismatch',
    severity: 'critical',
    status: 'RESOLVED',
    repairKind: 'manual',
    divergedSince: at,
    openedAt: at,
    lastDetectedAt: at,
    detectionCount: 2,
    repairAttempts: 0,
    closedAt: at,
    resolution: 'ok',
    ...overrides,
  }) as RepairCaseEntity;

describe('casesCsv', () => {
  it('writes a header and one line per case', () => {
    const [header, line, end] = casesCsv([kase({})]).split('\r\n');
    expect(header).toBe('caseId,orderId,rule,severity,status,repairKind,divergedSince,openedAt,lastDetectedAt,detectionCount,repairAttempts,closedAt,resolution');
    expect(line).toBe('c-1,o-1,amount-mismatch,critical,RESOLVED,manual,2025-01-15T10:00:00.000Z,2025-01-15T10:00:00.000Z,2025-01-15T10:00:00.000Z,2,0,2025-01-15T10:00:00.000Z,ok');
    expect(end).toBe('');
  });

  it('quotes commas, quotes and line breaks, and defuses what a spreadsheet would run as a formula', () => {
    const line = casesCsv([kase({ resolution: 'refunded "by hand", see\nOPS-1', orderId: '=HYPERLINK("x")' })]).split('\r\n').slice(1).join('\r\n');
    expect(line).toContain(`"refunded ""by hand"", see\nOPS-1"`);
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
