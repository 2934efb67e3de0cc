// Small inline-SVG charts, drawn by hand (no chart library, no build step).
import { h, s } from './dom.js';

/** Distinct, colour-blind-friendlier palette for up to 12 series (rules). */
export const PALETTE = ['#1f5fbf', '#d9822b', '#2a9d8f', '#c0392b', '#7b5ea7', '#8c6d1f', '#e377c2', '#4c9f38', '#17becf', '#5b6878', '#b5179e', '#9c6644'];

/** The rules in catalog order: each keeps its colour on every chart and page. */
const KNOWN_SERIES = [
  'stuck-at-inventory',
  'stuck-at-payment',
  'stuck-at-shipment',
  'dispatched-not-captured',
  'declined-still-reserved',
  'cancelled-still-reserved',
  'cancelled-still-charged',
  'cancelled-but-dispatched',
  'amount-mismatch',
  'status-contradiction',
  'missing-notification',
  'orphan-record',
];

export function colorFor(series) {
  let index = KNOWN_SERIES.indexOf(series);
  if (index < 0) index = [...String(series)].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) >>> 0, 7);
  return PALETTE[index % PALETTE.length];
}

/**
 * Stacked bars: one bar per bucket, one colour per series.
 * @param {{ label: string, title?: string, values: Record<string, number> }[]} buckets
 * @param {string[]} series
 */
export function stackedBars(buckets, series, { height = 250, ariaLabel = 'chart' } = {}) {
  const width = 720;
  const pad = { top: 12, right: 12, bottom: 26, left: 40 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const totals = buckets.map((bucket) => series.reduce((sum, name) => sum + (bucket.values[name] ?? 0), 0));
  const tick = niceStep(Math.max(1, ...totals) / 4);
  const max = tick * 4;
  const slot = innerW / Math.max(1, buckets.length);
  const barW = Math.max(3, Math.min(36, slot * 0.7));
  const y = (value) => pad.top + innerH - (value / max) * innerH;

  const grid = [0, 1, 2, 3, 4].map((n) => {
    const value = n * tick;
    const fraction = n / 4;
    return s(
      'g',
      {},
      s('line', { x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value), class: 'axis', 'stroke-dasharray': fraction === 0 ? null : '2 3' }),
      s('text', { x: pad.left - 6, y: y(value) + 3.5, 'text-anchor': 'end', class: 'tick' }, value),
    );
  });

  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  const bars = buckets.map((bucket, index) => {
    const x = pad.left + index * slot + (slot - barW) / 2;
    let base = 0;
    const parts = series.map((name) => {
      const value = bucket.values[name] ?? 0;
      if (!value) return null;
      const top = y(base + value);
      const rect = s(
        'rect',
        { x, y: top, width: barW, height: Math.max(1, y(base) - top), fill: colorFor(name), rx: 1.5 },
        s('title', {}, `${bucket.title ?? bucket.label}\n${name}: ${value}`),
      );
      base += value;
      return rect;
    });
    const label =
      index % labelEvery === 0
        ? s('text', { x: x + barW / 2, y: height - 8, 'text-anchor': 'middle', class: 'tick' }, bucket.label)
        : null;
    return s('g', {}, parts, label);
  });

  return h(
    'div',
    { class: 'chart' },
    s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': ariaLabel, preserveAspectRatio: 'xMidYMid meet' }, grid, bars),
  );
}

export function legend(series) {
  return h(
    'div',
    { class: 'legend' },
    series.map((name) => h('span', {}, h('i', { dataset: { color: colorFor(name) } }), name)),
  );
}

/** Horizontal bars with a label and a count (open cases by state, by rule). */
export function barList(rows, { total } = {}) {
  const max = total ?? Math.max(1, ...rows.map((row) => row.value));
  return h(
    'div',
    { class: 'bars' },
    rows.map((row) =>
      h(
        'div',
        { class: 'bar-row' },
        h('div', {}, row.label),
        h('div', { class: 'track' }, h('div', { class: 'fill', dataset: { color: row.color }, 'data-width': String(Math.round((row.value / max) * 1000) / 10) })),
        h('div', { class: 'count' }, row.value),
      ),
    ),
  );
}

/**
 * The page's CSP forbids inline styles set from markup; colours and widths are applied here,
 * through the CSSOM, which the policy allows.
 */
export function applyDataStyles(root) {
  for (const element of root.querySelectorAll('[data-color]')) element.style.background = element.dataset.color;
  for (const element of root.querySelectorAll('[data-width]')) element.style.width = `${element.dataset.width}%`;
}

/** The smallest of 1, 2, 5, 10, 20, 50, ... at least `value`: whole, readable tick steps. */
function niceStep(value) {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(value)));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= value) return factor * magnitude;
  return 10 * magnitude;
}
