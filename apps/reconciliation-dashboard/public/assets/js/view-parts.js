// What more than one view shows: views never import each other, they share these.
import { api } from './api.js';
import { h } from './dom.js';
import { badge, empty, numCell, ruleTag, severity, table, td, toast } from './components.js';
import { ago, duration, exact, money, number, shortId, shortTime, words } from './format.js';
import { itemsOf, ruleIdOf, runDurationMs, runKind, SERVICES, totalOf, unavailableOf } from './model.js';

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

/** A list of cases (the cases page, the order explorer). */
export function casesTable(cases) {
  return table(
    ['Case', 'Order', 'Rule', 'Severity', 'Status', 'Opened', 'Diverged since', 'Last seen', { label: 'Repairs', class: 'num' }],
    cases.map((kase) => ({
      href: `/cases/${encodeURIComponent(kase.id)}`,
      dataset: { caseId: kase.id, orderId: kase.orderId },
      cells: [
        h('a', { href: `#/cases/${encodeURIComponent(kase.id)}`, class: 'mono', title: kase.id }, shortId(kase.id)),
        h('span', { class: 'mono' }, kase.orderId),
        ruleTag(ruleIdOf(kase)),
        severity(kase.severity),
        badge(kase.status),
        td(h('span', { title: exact(kase.openedAt) }, ago(kase.openedAt)), 'nowrap'),
        td(h('span', { title: exact(kase.divergedSince) }, shortTime(kase.divergedSince)), 'nowrap'),
        td(h('span', { title: exact(kase.lastDetectedAt) }, ago(kase.lastDetectedAt)), 'nowrap'),
        td(kase.repairAttempts ?? 0, 'num'),
      ],
    })),
  );
}

/**
 * The order's milestones in time order, one column per service: reading down gives the sequence,
 * reading across shows which service said what (and, by the gaps, what one of them never saw).
 */
export function timeline(kase) {
  const services = kase.evidence?.services ?? {};
  const entries = Array.isArray(kase.timeline) ? kase.timeline : mergedTimeline(services);
  const head = h(
    'tr',
    {},
    h('th', {}, 'When'),
    SERVICES.map((service) => {
      const answer = services[service];
      return h(
        'th',
        { dataset: { service } },
        h('div', { class: 'lane-title' }, service),
        answer === 'unavailable' ? badge('unavailable', { label: 'did not answer' }) : answer ? badge(answer.status, { label: words(answer.status) }) : h('span', { class: 'badge gray plain' }, 'no record'),
      );
    }),
  );
  const rows = entries.map((entry) =>
    h(
      'tr',
      {},
      h('td', { class: 'when nowrap', title: exact(entry.at) }, shortTime(entry.at)),
      SERVICES.map((service) =>
        service === entry.service
          ? h('td', { class: `event ${service === 'notification' ? 'good' : tone(entry.name)}` }, h('div', { class: 'name' }, words(entry.name)), milestoneExtra(entry))
          : h('td', { class: 'gap' }),
      ),
    ),
  );
  const facts = h(
    'tr',
    { class: 'facts-row' },
    h('td', { class: 'muted' }, 'Facts'),
    SERVICES.map((service) => h('td', {}, factsOf(services[service]))),
  );
  return h(
    'div',
    { class: 'timeline-wrap' },
    h('table', { class: 'timeline-grid' }, h('thead', {}, head), h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: '6' }, empty('No milestones recorded'))), facts)),
  );
}

function mergedTimeline(services) {
  return SERVICES.flatMap((service) => {
    const answer = services[service];
    return answer && answer !== 'unavailable' ? (answer.milestones ?? []).map((milestone) => ({ service, ...milestone })) : [];
  }).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function milestoneExtra(milestone) {
  const parts = [];
  if (milestone.amountMinor !== undefined) parts.push(money(milestone.amountMinor, milestone.currency));
  if (milestone.quantity !== undefined) parts.push(`${milestone.quantity} unit${milestone.quantity === 1 ? '' : 's'}`);
  if (milestone.ref) parts.push(shortId(milestone.ref));
  return parts.length ? h('div', { class: 'extra' }, parts.join(' · ')) : null;
}

function factsOf(answer) {
  if (!answer || answer === 'unavailable') return null;
  const entries = Object.entries(answer.facts ?? {}).filter(([, value]) => value !== null && value !== '' && value !== false);
  if (!entries.length) return null;
  return h('div', { class: 'lane-facts' }, entries.map(([name, value]) => h('span', {}, `${name}: ${value}`)));
}

const GOOD = /^(RESERVED|AUTHORI[SZ]ED|CAPTURED|CONFIRMED|CREATED|DISPATCHED|SHIPPED|DELIVERED|COMMITTED|PLACED|SENT|CONFIRMED)$/;
const BAD = /(REJECT|DECLIN|FAIL|CANCEL)/;
function tone(name) {
  if (BAD.test(name)) return 'bad';
  if (/(RELEAS|VOID|REFUND)/.test(name)) return 'warn';
  return GOOD.test(name) ? 'good' : '';
}
