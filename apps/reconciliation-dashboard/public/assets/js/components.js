// Pieces every view uses: badges, empty and error states, cards, page headers, toasts.
import { h } from './dom.js';
import { words } from './format.js';

/** Colour of each state word the reconciliation service uses (cases, runs, outcomes, queues). */
const TONES = {
  OPEN: 'red',
  NEEDS_ATTENTION: 'purple',
  AUTO_REPAIRING: 'amber',
  RESOLVED: 'green',
  DISMISSED: 'gray',
  queued: 'gray',
  running: 'blue',
  completed: 'green',
  incomplete: 'amber',
  failed: 'red',
  ok: 'green',
  attention: 'amber',
  stopped: 'red',
  up: 'green',
  down: 'red',
  unavailable: 'red',
};

/** Plain-language explanation shown on hover. */
const MEANINGS = {
  OPEN: 'Detected, nothing done yet',
  AUTO_REPAIRING: 'A repair command was sent; waiting for the services to converge',
  NEEDS_ATTENTION: 'No automatic repair, or it did not converge: a person decides',
  RESOLVED: 'The invariant holds again (or an operator resolved it)',
  DISMISSED: 'An operator decided it is not a problem',
  incomplete: 'Some services did not answer: rules needing them were not decided',
};

export function badge(state, { label } = {}) {
  const tone = TONES[state] ?? 'gray';
  return h('span', { class: `badge ${tone}`, title: MEANINGS[state] ?? null, dataset: { state } }, label ?? words(state));
}

export function severity(value) {
  return h('span', { class: `sev ${value ?? ''}` }, value ?? '—');
}

export function ruleTag(rule) {
  return h('span', { class: 'rule' }, rule);
}

export function card(title, body, { hint, actions, flush = false, id } = {}) {
  return h(
    'section',
    { class: 'card', id },
    title || hint || actions ? h('div', { class: 'card-head' }, h('h2', {}, title), hint ? h('span', { class: 'hint' }, hint) : null, actions ?? null) : null,
    h('div', { class: flush ? 'card-body flush' : 'card-body' }, body),
  );
}

export function pageHead(title, { crumbs, sub, actions } = {}) {
  return h(
    'header',
    { class: 'page-head' },
    h('div', {}, crumbs ? h('div', { class: 'crumbs' }, crumbs) : null, h('h1', {}, title), sub ? h('div', { class: 'sub' }, sub) : null),
    actions ? h('div', { class: 'actions' }, actions) : null,
  );
}

export function empty(title, detail) {
  return h('div', { class: 'empty', role: 'status' }, h('strong', {}, title), detail ? h('span', {}, detail) : null);
}

/** A visible error instead of a blank page: what failed, why, and a retry. */
export function errorBox(error, { retry, what = 'Could not load this view' } = {}) {
  const unreachable = error?.unreachable;
  const title = unreachable ? 'The reconciliation service is not answering' : what;
  const detail = error?.problem?.detail || error?.message || String(error);
  return h(
    'div',
    { class: 'error-box', role: 'alert' },
    h('strong', {}, title),
    h('div', {}, detail),
    unreachable ? h('div', { class: 'muted' }, 'Cases and runs are unavailable until it is back; the queues page may still work.') : null,
    retry ? h('button', { class: 'btn btn-sm', type: 'button', onclick: retry }, 'Try again') : null,
  );
}

export function toast(message, { error = false } = {}) {
  const box = document.getElementById('toasts');
  const item = h('div', { class: error ? 'toast error' : 'toast' }, message);
  box.appendChild(item);
  setTimeout(() => item.remove(), error ? 8000 : 4000);
}

/** A table with a header row; `rows` are arrays of cells, or { cells, onclick, class }. */
export function table(headers, rows, { caption } = {}) {
  return h(
    'table',
    { class: 'data' },
    caption ? h('caption', { class: 'sr-only' }, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((header) => (typeof header === 'string' ? h('th', {}, header) : h('th', { class: header.class }, header.label))))),
    h(
      'tbody',
      {},
      rows.map((row) => {
        const spec = Array.isArray(row) ? { cells: row } : row;
        return h(
          'tr',
          { class: spec.class ?? (spec.href ? 'clickable' : null), onclick: spec.href ? (event) => followRow(event, spec.href) : null, dataset: spec.dataset },
          spec.cells.map((cell) => (cell instanceof Node && cell.tagName === 'TD' ? cell : h('td', {}, cell))),
        );
      }),
    ),
  );
}

function followRow(event, href) {
  if (event.target.closest('a, button, input, select, textarea')) return;
  window.location.hash = href;
}

export function td(content, className) {
  return h('td', { class: className }, content);
}

export function numCell(value) {
  return h('td', { class: value ? 'num' : 'num zero' }, value ?? 0);
}
