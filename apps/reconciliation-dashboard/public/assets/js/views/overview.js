import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { applyDataStyles, barList, colorFor, legend, stackedBars } from '../charts.js';
import { badge, card, empty, errorBox, pageHead, table, td } from '../components.js';
import { ago, duration, exact, number } from '../format.js';
import { runDurationMs, runKind } from '../model.js';
import { runNowControl, runsTable } from '../view-parts.js';

const STATE_ORDER = ['OPEN', 'NEEDS_ATTENTION', 'AUTO_REPAIRING'];
const STATE_COLORS = { OPEN: '#c0392b', NEEDS_ATTENTION: '#6b3fb5', AUTO_REPAIRING: '#d9822b' };
const AGE_LABELS = { '<1h': 'Under 1 hour', '1h-24h': '1–24 hours', '1d-7d': '1–7 days', '>7d': 'Over 7 days' };
const REFRESH_MS = 15_000;

export async function renderOverview(view, { isCurrent }) {
  const body = h('div', {}, h('p', { class: 'loading' }, 'Loading…'));
  mount(
    view,
    pageHead('Overview', { sub: 'Where the services disagree about orders, and what is being done about it.', actions: runNowControl({ onQueued: () => void refresh() }) }),
    body,
  );

  const refresh = async () => {
    const [stats, queues] = await Promise.allSettled([api.get('/api/stats'), api.get('/ui-api/queues')]);
    if (!isCurrent()) return;
    mount(body, stats.status === 'fulfilled' ? withStats(stats.value) : errorBox(stats.reason, { retry: () => void refresh(), what: 'Could not load the figures' }), queuesCard(queues));
    applyDataStyles(body);
  };
  await refresh();
  const timer = setInterval(() => void refresh().catch((error) => console.warn('overview refresh failed', error)), REFRESH_MS);
  return () => clearInterval(timer);
}

function withStats(stats) {
  const open = stats.openCases ?? { total: 0, byStatus: {}, byRule: {}, byAge: {} };
  const lastRun = (stats.lastRuns ?? [])[0];
  return [
    h(
      'div',
      { class: 'grid grid-4' },
      kpi('Open cases', number(open.total), open.total ? 'alert' : 'good', open.total ? h('a', { href: '#/cases?status=open' }, 'See the open cases →') : 'Every order agrees'),
      kpi('Need a person', number(open.byStatus?.NEEDS_ATTENTION ?? 0), open.byStatus?.NEEDS_ATTENTION ? 'warn' : '', h('a', { href: '#/cases?status=NEEDS_ATTENTION' }, 'No automatic repair, or it failed')),
      kpi('Repairing', number(open.byStatus?.AUTO_REPAIRING ?? 0), '', 'Repair commands sent, waiting to converge'),
      lastRunKpi(lastRun),
    ),
    h('div', { class: 'spacer' }),
    h(
      'div',
      { class: 'grid grid-2' },
      mismatchesCard(stats.mismatchesPerHour ?? []),
      card('Open cases', openCases(open), { hint: 'by state and by age' }),
    ),
    h('div', { class: 'spacer' }),
    card('Last runs', stats.lastRuns?.length ? runsTable(stats.lastRuns) : empty('No runs yet', 'Start one with “Run now”.'), { flush: true, actions: h('a', { href: '#/runs', class: 'btn btn-sm' }, 'All runs') }),
  ];
}

function kpi(label, value, tone, note) {
  return h('section', { class: `card kpi ${tone}` }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), h('div', { class: 'note' }, note));
}

function lastRunKpi(run) {
  if (!run) return kpi('Last run', '—', '', 'No run yet');
  const unavailable = Object.keys(run.unavailableServices ?? {});
  return h(
    'section',
    { class: 'card kpi' },
    h('div', { class: 'label' }, 'Last run'),
    h('div', { class: 'value value-sm' }, h('a', { href: `#/runs/${encodeURIComponent(run.id)}` }, runKind(run.kind)), ' ', badge(run.status)),
    h(
      'div',
      { class: 'note', title: exact(run.finishedAt ?? run.startedAt ?? run.queuedAt) },
      run.finishedAt ? `${ago(run.finishedAt)} · took ${duration(runDurationMs(run))}` : run.startedAt ? `running for ${duration(runDurationMs(run))}` : `queued ${ago(run.queuedAt)}`,
      unavailable.length ? h('span', { class: 'text-red' }, ` · ${unavailable.join(', ')} did not answer`) : null,
    ),
  );
}

/** Cases opened per rule per hour over the last 24 hours, as stacked bars (hours without any shown empty). */
function mismatchesCard(perHour) {
  const series = [...new Set(perHour.map((row) => row.rule))].sort();
  const now = new Date();
  now.setUTCMinutes(0, 0, 0);
  const buckets = [];
  for (let i = 23; i >= 0; i--) {
    const hour = new Date(now.getTime() - i * 3600_000);
    const key = hour.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const values = {};
    for (const row of perHour) if (row.hour === key) values[row.rule] = (values[row.rule] ?? 0) + row.count;
    buckets.push({ label: `${String(hour.getHours()).padStart(2, '0')}h`, title: hour.toLocaleString(), values });
  }
  const total = perHour.reduce((sum, row) => sum + row.count, 0);
  return card(
    'Mismatches per rule',
    total
      ? [stackedBars(buckets, series, { ariaLabel: `Cases opened per rule per hour, last 24 hours: ${total} in all` }), legend(series)]
      : empty('No mismatches in the last 24 hours', 'Cases opened per hour will show here, one colour per rule.'),
    { hint: `cases opened per hour · last 24 h · ${number(total)} in all`, flush: Boolean(total) },
  );
}

function openCases(open) {
  if (!open.total) return empty('No open cases', 'Every order agrees across the services (or is within its grace period).');
  const states = barList(
    STATE_ORDER.map((state) => ({ label: h('a', { href: `#/cases?status=${state}` }, badge(state)), value: open.byStatus?.[state] ?? 0, color: STATE_COLORS[state] })),
    { total: open.total },
  );
  const ages = h(
    'div',
    { class: 'age-grid' },
    Object.entries(AGE_LABELS).map(([bucket, label]) => h('div', { class: `age-cell ${bucket === '>7d' && open.byAge?.[bucket] ? 'old' : ''}` }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, number(open.byAge?.[bucket] ?? 0)))),
  );
  const rules = Object.entries(open.byRule ?? {}).sort(([, a], [, b]) => b - a);
  const byRule = barList(
    rules.map(([rule, count]) => ({ label: h('a', { href: `#/cases?status=open&rule=${encodeURIComponent(rule)}`, class: 'rule', title: rule }, rule), value: count, color: colorFor(rule) })),
  );
  return [states, ages, h('h3', { class: 'section-title' }, 'By rule'), byRule];
}

function queuesCard(result) {
  const actions = h('a', { href: '/queues', class: 'btn btn-sm' }, 'Open queues ↗');
  if (result.status === 'rejected') return card('Queue health', errorBox(result.reason, { what: 'Could not read the queues' }), { actions });
  const health = result.value;
  if (health.redis === 'down') return card('Queue health', errorBox({ message: health.error }, { what: 'Redis is not answering' }), { actions });
  if (!health.queues.length) return card('Queue health', empty('No queues yet', `Nothing under the prefix “${health.prefix}” in Redis.`), { actions });
  return card(
    'Queue health',
    table(
      ['Queue', 'State', { label: 'Waiting', class: 'num' }, { label: 'Active', class: 'num' }, { label: 'Delayed', class: 'num' }, { label: 'Failed', class: 'num' }, { label: 'Completed', class: 'num' }, { label: 'Workers', class: 'num' }],
      health.queues.map((queue) => ({
        dataset: { queue: queue.name },
        cells: [
          h('a', { href: `/queues/queue/${encodeURIComponent(queue.name)}`, class: 'mono' }, queue.name),
          badge(queue.state, { label: queue.paused ? 'Paused' : queue.state === 'stopped' ? 'No worker' : queue.state === 'ok' ? 'OK' : queue.counts.failed ? 'Failed jobs' : 'Backlog' }),
          count(queue.counts.waiting + (queue.counts.prioritized ?? 0)),
          count(queue.counts.active),
          count(queue.counts.delayed),
          td(queue.counts.failed ?? 0, queue.counts.failed ? 'num text-red strong' : 'num zero'),
          count(queue.counts.completed),
          count(queue.workers),
        ],
      })),
    ),
    { flush: true, hint: `prefix ${health.prefix}`, actions },
  );
}

function count(value) {
  return td(value === null || value === undefined ? '—' : number(value), value ? 'num' : 'num zero');
}
