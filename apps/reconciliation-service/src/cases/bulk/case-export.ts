import type { RepairCaseEntity } from '../case.entity';

/** Rows one export holds at most (newest first). */
export const EXPORT_MAX_CASES = 10_000;

const COLUMNS: Array<[string, (kase: RepairCaseEntity) => unknown]> = [
  ['caseId', (kase) => kase.id],
  ['orderId', (kase) => kase.orderId],
  ['rule', (kase) => kase.ruleId],
  ['severity', (kase) => kase.severity],
  ['status', (kase) => kase.status],
  ['repairKind', (kase) => kase.repairKind],
  ['divergedSince', (kase) => kase.divergedSince.toISOString()],
  ['openedAt', (kase) => kase.openedAt.toISOString()],
  ['lastDetectedAt', (kase) => kase.lastDetectedAt.toISOString()],
  ['detectionCount', (kase) => kase.detectionCount],
  ['repairAttempts', (kase) => kase.repairAttempts],
  ['closedAt', (kase) => kase.closedAt?.toISOString() ?? ''],
  ['resolution', (kase) => kase.resolution ?? ''],
];

/**
 * RFC 4180 CSV: quoted when a value holds a comma, quote or line break (quotes doubled); a value
 * a spreadsheet would run as a formula (= + - @ first) is prefixed with a quote mark.
 */
export function casesCsv(cases: readonly RepairCaseEntity[]): string {
  const cell = (value: unknown) => {
    let text = String(value ?? '');
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [COLUMNS.map(([name]) => name).join(','), ...cases.map((kase) => COLUMNS.map(([, read]) => cell(read(kase))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
