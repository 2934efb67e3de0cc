// What more than one view shows: views never import each other, they share these.
import { api } from './api.js';
import { h } from './dom.js';
import { badge, numCell, table, td, toast } from './components.js';
import { ago, duration, exact, number, shortId, words } from './format.js';
import { itemsOf, runDurationMs, runKind, totalOf, unavailableOf } from './model.js';


/** "Run now": a button (and kind picker) that queues a run through the dashboard. */
export function runNowControl({ onQueued } = {}) {
  const kind = h('select', { 'aria-label': 'Kind of run', name: 'kind' }, h('option', { value: 'incremental' }, 'Incremental'), h('option', { value: 'full' }, 'Full scan'));
  const button = h('button', { class: 'btn btn-primary', type: 'button', dataset: { action: 'run-now' } }, 'Run now');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const run = await api.post('/api/runs', { kind: kind.value });
      const runId = run?.runId ?? run?.id;
      toast(`${words(kind.value)} run queued${runId ? ` (${shortId(runId)})` : ''}`);
      onQueued?.(run);
    } catch (error) {
      toast(`Could not start a run: ${error.message}`, { error: true });
    } finally {
      button.disabled = false;
    }
  });
  return [kind, button];
}

export function runsTable(runs) {
  return table(
    ['Run', 'Kind', 'Status', 'Requested', 'Started', { label: 'Duration', class: 'num' }, { label: 'Orders', class: 'num' }, { label: 'Violations', class: 'num' }, { label: 'Unknown', class: 'num' }, 'Not answering'],
    runs.map((run) => {
      const unavailable = Object.keys(unavailableOf(run));
      return {
        href: `/runs/${encodeURIComponent(run.id)}`,
        dataset: { runId: run.id },
        cells: [
          h('a', { href: `#/runs/${encodeURIComponent(run.id)}`, class: 'mono', title: run.id }, shortId(run.id)),
          runKind(run.kind),
          badge(run.status),
          td(h('span', {}, run.requestedBy ?? words(run.trigger ?? '')), 'nowrap'),
          td(h('span', { title: exact(run.startedAt ?? run.queuedAt) }, ago(run.startedAt ?? run.queuedAt)), 'nowrap'),
          td(duration(runDurationMs(run)), 'num'),
          numCell(number(run.ordersChecked)),
          numCell(totalOf(run, 'violated')),
          numCell(totalOf(run, 'unknown')),
          unavailable.length ? h('span', { class: 'badge red plain' }, unavailable.join(', ')) : h('span', { class: 'faint' }, '—'),
        ],
      };
    }),
  );
}

/** Newest-first paging by cursor: "First page" and "Next page" links. */
export function pager(cursor, nextCursor, hrefFor) {
  return h(
    'div',
    { class: 'pager' },
    h('span', {}, cursor ? 'Older entries' : 'Newest first'),
    h(
      'div',
      { class: 'buttons' },
      cursor ? h('a', { class: 'btn btn-sm', href: hrefFor('') }, '« First page') : null,
      nextCursor ? h('a', { class: 'btn btn-sm', href: hrefFor(nextCursor), dataset: { action: 'next-page' } }, 'Next page ›') : null,
    ),
  );
}

/** One term and its value in a `<dl>` of facts. */
export function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value ?? '—')];
}

let rulesCache = null;
/** The rule catalog (ids and descriptions), read once per page load. */
export async function loadRules() {
  if (!rulesCache) rulesCache = api.get('/api/rules').then(itemsOf, (error) => {
    rulesCache = null;
    throw error;
  });
  return rulesCache;
}

let tracesCache = null;
/** Zipkin's address (null when the dashboard was given none), read once per page load. */
function loadTracesUrl() {
  if (!tracesCache) tracesCache = api.get('/ui-api/session').then((session) => session.tracesUrl ?? null, () => (tracesCache = null));
  return tracesCache;
}

/**
 * A link to the order's traces in Zipkin (every consumer span carries the `order.id` tag), or
 * nothing when no trace backend is configured.
 */
export async function traceLink(orderId) {
  const base = await loadTracesUrl();
  if (!base) return null;
  const href = `${base}/zipkin/?annotationQuery=${encodeURIComponent(`order.id=${orderId}`)}&lookback=7d&limit=50`;
  return h('a', { href, target: '_blank', rel: 'noopener', class: 'trace-link', title: 'The order’s path through the services, in Zipkin' }, 'Traces');
}
