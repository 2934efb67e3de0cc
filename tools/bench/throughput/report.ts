/** The run's output: tables on stdout, the same as JSON, and an SVG of latency against rate. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StepResult } from './step-result';

const ms = (v: number) => (Number.isFinite(v) ? (v >= 10_000 ? `${(v / 1000).toFixed(1)}s` : `${Math.round(v)}`) : '-');
const cell = (v: string, width: number) => v.padStart(width);

/** Columns of the CPU table, in the order the lifecycle reaches them. */
export const CPU_COLUMNS = [
  ['order-service', 'order'],
  ['inventory-service', 'inventory'],
  ['payment-service', 'payment'],
  ['shipment-service', 'shipment'],
  ['notification-service', 'notific.'],
  ['kafka', 'kafka'],
  ['postgres', 'postgres'],
  ['redis', 'redis'],
  ['stack', 'stack'],
  ['bench', 'bench'],
  ['machine', 'machine'],
] as const;

export function printTables(steps: readonly StepResult[]): void {
  const head = ['rate', 'achieved', 'orders', 'conf p50', 'p95', 'p99', 'deliv p50', 'p95', 'p99', 'lag end', 'drain s', 'sustained'];
  const widths = [6, 9, 7, 9, 7, 7, 10, 7, 7, 8, 8, 10];
  console.log('\nlatency (ms; placed = the bench\'s POST; DELIVERED less the warehouse\'s configured waits)');
  console.log(head.map((h, i) => cell(h, widths[i])).join(''));
  for (const s of steps) {
    const row = [
      String(s.targetRate),
      s.achievedRate.toFixed(1),
      String(s.orders),
      ms(s.confirmed.p50),
      ms(s.confirmed.p95),
      ms(s.confirmed.p99),
      ms(s.delivered.p50),
      ms(s.delivered.p95),
      ms(s.delivered.p99),
      String(s.lagSamples.at(-1)?.lag ?? '-'),
      s.drainSeconds.toFixed(1),
      s.unsustained.length === 0 ? 'yes' : 'NO',
    ];
    console.log(row.map((v, i) => cell(v, widths[i])).join(''));
  }
  console.log('\nCPU-ms per order (step start until its orders were delivered; machine = every core, other work included)');
  console.log(cell('rate', 6) + CPU_COLUMNS.map(([, label]) => cell(label, 10)).join(''));
  for (const s of steps) {
    console.log(cell(String(s.targetRate), 6) + CPU_COLUMNS.map(([key]) => cell(s.cpuMsPerOrder[key] === undefined ? 'n/a' : s.cpuMsPerOrder[key].toFixed(2), 10)).join(''));
  }
  for (const s of steps.filter((step) => step.unsustained.length > 0)) console.log(`\nstep ${s.targetRate}/s not sustained: ${s.unsustained.join('; ')}`);
}

/** Writes `<dir>/throughput-<stamp>.json` and `.svg`; returns their paths. */
export function writeArtifacts(dir: string, result: { steps: readonly StepResult[] } & Record<string, unknown>): { json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = path.join(dir, `throughput-${stamp}.json`);
  const svg = path.join(dir, `throughput-${stamp}.svg`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(svg, latencyChart(result.steps));
  return { json, svg };
}

const SERIES = [
  { label: 'CONFIRMED p50', color: '#1f77b4', dash: '', value: (s: StepResult) => s.confirmed.p50 },
  { label: 'CONFIRMED p99', color: '#1f77b4', dash: '6 4', value: (s: StepResult) => s.confirmed.p99 },
  { label: 'DELIVERED p50', color: '#d62728', dash: '', value: (s: StepResult) => s.delivered.p50 },
  { label: 'DELIVERED p99', color: '#d62728', dash: '6 4', value: (s: StepResult) => s.delivered.p99 },
];

/** Latency (log scale) against achieved rate, a line per series; the 1 s limit dotted. */
export function latencyChart(steps: readonly StepResult[]): string {
  const [w, h, left, right, top, bottom] = [640, 380, 60, 150, 20, 45];
  const values = steps.flatMap((s) => SERIES.map((series) => series.value(s))).filter((v) => Number.isFinite(v) && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...values, 1000))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values, 1000)));
  const maxRate = Math.max(...steps.map((s) => s.achievedRate), 1);
  const x = (rate: number) => left + (rate / maxRate) * (w - left - right);
  const y = (v: number) => top + (1 - (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (h - top - bottom);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="11">`];
  out.push(`<rect width="${w}" height="${h}" fill="white"/>`);
  for (let v = lo; v <= hi; v *= 10) {
    out.push(`<line x1="${left}" x2="${w - right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
  }
  out.push(`<line x1="${left}" x2="${w - right}" y1="${y(1000)}" y2="${y(1000)}" stroke="#555" stroke-dasharray="2 3"/>`);
  out.push(`<text x="${w - right - 4}" y="${y(1000) - 4}" text-anchor="end" fill="#555">CONFIRMED p99 limit</text>`);
  out.push(`<text x="${left}" y="${h - bottom + 16}" text-anchor="middle">0</text>`);
  for (const s of steps) {
    out.push(`<text x="${x(s.achievedRate)}" y="${h - bottom + 16}" text-anchor="middle">${s.achievedRate.toFixed(0)}</text>`);
  }
  out.push(`<text x="${(left + w - right) / 2}" y="${h - 8}" text-anchor="middle">orders/s achieved</text>`);
  SERIES.forEach((series, i) => {
    const points = steps.filter((s) => Number.isFinite(series.value(s)) && series.value(s) > 0).map((s) => `${x(s.achievedRate)},${y(series.value(s))}`);
    out.push(`<polyline fill="none" stroke="${series.color}" stroke-width="2" stroke-dasharray="${series.dash}" points="${points.join(' ')}"/>`);
    for (const p of points) out.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${series.color}"/>`);
    const ly = top + 10 + i * 18;
    out.push(`<line x1="${w - right + 12}" x2="${w - right + 36}" y1="${ly}" y2="${ly}" stroke="${series.color}" stroke-width="2" stroke-dasharray="${series.dash}"/>`);
    out.push(`<text x="${w - right + 42}" y="${ly + 4}">${series.label}</text>`);
  });
  out.push('</svg>\n');
  return out.join('\n');
}
