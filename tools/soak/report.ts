// The soak's report: what was driven, what was broken and how long each fault took to drain, what the oracle found.
import type { InjectedFault } from './faults';
import type { PlayedOrder } from './traffic';

export interface SoakReport {
  runId: string;
  ordersAsked: number;
  played: PlayedOrder[];
  trafficSeconds: number;
  /** Seconds from the end of traffic until every order showed its final status; null when not waited for. */
  settledSeconds: number | null;
  stack: string;
  faults: InjectedFault[];
  /** Events redelivered on purpose: copies produced plus offsets rewound. */
  duplicatesDelivered: number;
  /** What the live replicas' inboxes counted as already applied. */
  duplicatesAbsorbed: number | null;
  reconciliation: string;
  deadLetters: number | null;
  violations: string[];
  /** Why the run ended early (a signal), if it did. */
  cutShort?: string;
}

const drain = (f: InjectedFault) =>
  f.drainSeconds === undefined ? '' : f.drainSeconds === null ? `  drain: not back to its lag (peak ${f.peakLag})` : `  drained in ${f.drainSeconds.toFixed(0)} s (peak lag ${f.peakLag})`;

export function formatReport(r: SoakReport): string {
  const scenarios = r.played.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.scenario]: (acc[o.scenario] ?? 0) + 1 }), {});
  // The same sentence many times (a replica not answering) once with its count, so the rest stays visible.
  const grouped = [...r.violations.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>())];
  const settled = r.settledSeconds === null ? 'not waited for' : `settled ${r.settledSeconds.toFixed(0)} s after`;
  return [
    '',
    `[soak] report of run ${r.runId} (${new Date().toISOString()})${r.cutShort ? ` CUT SHORT: ${r.cutShort}` : ''}`,
    `  orders       ${r.played.length} placed of ${r.ordersAsked} (${Object.entries(scenarios).map(([k, v]) => `${k} ${v}`).join(', ')}), traffic ${r.trafficSeconds.toFixed(0)} s, ${settled}`,
    `  stack        ${r.stack}`,
    '  faults (t+ = seconds since traffic began; drain = until the consumers\' lag was back to what it was)',
    ...r.faults.map((f) => `    t+${String(f.second).padStart(4)}s  ${f.fault.padEnd(40)} ${f.detail}${drain(f)}`),
    `  duplicates   ${r.duplicatesDelivered} delivered on purpose; ${r.duplicatesAbsorbed ?? '?'} absorbed by the live replicas' inboxes`,
    `  reconciliation ${r.reconciliation}`,
    `  dead letters ${r.deadLetters ?? '?'}`,
    `  violations   ${r.violations.length}`,
    ...grouped.slice(0, 50).map(([v, n]) => `    - ${v}${n > 1 ? ` (×${n})` : ''}`),
    ...(grouped.length > 50 ? [`    … and ${grouped.length - 50} more kinds`] : []),
    '',
  ].join('\n');
}
