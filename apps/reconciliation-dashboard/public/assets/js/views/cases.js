import { api, query } from '../api.js';
import { h, mount } from '../dom.js';
import { badge, card, empty, errorBox, pageHead, severity, toast } from '../components.js';
import { ago, exact, money, number, shortTime, words } from '../format.js';
import { allowedActions, CASE_STATUSES, itemsOf, ruleIdOf } from '../model.js';
import { navigate } from '../router.js';
import { casesTable, fact, loadRules, pager, timeline, traceLink } from '../view-parts.js';
import { bulkPanel, caseFilter, exportLink } from '../bulk-panel.js';

/** The age filter: cases opened longer ago than this (the service's `olderThan` takes these durations). */
const AGES = [
  { value: '', label: 'Any age' },
  { value: '1h', label: 'Older than 1 hour' },
  { value: '24h', label: 'Older than 1 day' },
  { value: '7d', label: 'Older than 7 days' },
  { value: '30d', label: 'Older than 30 days' },
];

const PAGE_SIZE = 25;

export async function renderCases(view, { params, isCurrent }) {
  const filters = {
    status: params.get('status') ?? 'open',
    rule: params.get('rule') ?? '',
    orderId: params.get('orderId') ?? '',
    age: params.get('age') ?? '',
    cursor: params.get('cursor') ?? '',
    limit: params.get('limit') ?? '',
  };
  const rules = await loadRules().catch(() => []);
  const age = AGES.find((candidate) => candidate.value === filters.age);
  const results = h('div', {}, h('p', { class: 'loading empty' }, 'Loading cases…'));
  const pageFilter = { status: filters.status, rule: filters.rule, orderId: filters.orderId, olderThan: age?.value ?? '' };

  mount(
    view,
    pageHead('Cases', {
      sub: 'One case per order and rule that disagreed after its grace period. Open a case to see every service’s side of the order.',
      actions: exportLink(caseFilter(pageFilter)),
    }),
    h('section', { class: 'card' }, filterBar(filters, rules), bulkPanel(pageFilter, { onApplied: () => renderCases(view, { params, isCurrent }) }), results),
  );

  try {
    const answer = await api.get(
      `/api/cases${query({
        status: filters.status === 'all' ? '' : filters.status,
        rule: filters.rule,
        orderId: filters.orderId.trim(),
        olderThan: age?.value ?? '',
        cursor: filters.cursor,
        limit: Number(filters.limit) || PAGE_SIZE,
      })}`,
    );
    if (!isCurrent()) return;
    const cases = itemsOf(answer);
    const filtered = filters.rule || filters.orderId || filters.age || filters.status !== 'open';
    mount(
      results,
      cases.length
        ? casesTable(cases)
        : filters.status === 'open' && !filtered
          ? empty('No open cases', 'Every order agrees across the services (or is still within its grace period).')
          : empty('No cases match these filters', 'Widen the status, rule or age, or clear the order id.'),
      pager(filters.cursor, answer?.nextCursor, (cursor) => `#/cases${query({ ...filters, cursor })}`),
    );
  } catch (error) {
    if (isCurrent()) mount(results, h('div', { class: 'card-body' }, errorBox(error, { retry: () => renderCases(view, { params, isCurrent }) })));
  }
  return undefined;
}

function filterBar(filters, rules) {
  const status = h(
    'select',
    { id: 'filter-status', name: 'status' },
    h('option', { value: 'open' }, 'Open (all open states)'),
    CASE_STATUSES.map((value) => h('option', { value }, words(value))),
    h('option', { value: 'all' }, 'All'),
  );
  status.value = filters.status;
  const rule = h('select', { id: 'filter-rule', name: 'rule' }, h('option', { value: '' }, 'All rules'), rules.map((r) => h('option', { value: r.id }, r.id)));
  rule.value = filters.rule;
  const age = h('select', { id: 'filter-age', name: 'age' }, AGES.map((a) => h('option', { value: a.value }, a.label)));
  age.value = filters.age;
  const orderId = h('input', { id: 'filter-order', name: 'orderId', type: 'search', placeholder: 'Order id', value: filters.orderId, spellcheck: 'false', autocomplete: 'off' });

  // A new filter starts again from the first page (the cursor belongs to the old one).
  const apply = () => navigate('/cases', { status: status.value, rule: rule.value, orderId: orderId.value.trim(), age: age.value, limit: filters.limit });
  for (const select of [status, rule, age]) select.addEventListener('change', apply);
  const form = h(
    'form',
    { class: 'filters', role: 'search', onsubmit: (event) => (event.preventDefault(), apply()) },
    field('Status', status, 'filter-status'),
    field('Rule', rule, 'filter-rule'),
    field('Age', age, 'filter-age'),
    field('Order', orderId, 'filter-order'),
    h('button', { class: 'btn', type: 'submit' }, 'Apply'),
    h('a', { class: 'btn btn-ghost', href: '#/cases' }, 'Reset'),
  );
  return form;
}

function field(label, control, id) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}


export async function renderCase(view, { args: [caseId], isCurrent }) {
  const [kase, rules] = await Promise.all([api.get(`/api/cases/${encodeURIComponent(caseId)}`), loadRules().catch(() => [])]);
  const traces = await traceLink(kase.orderId).catch(() => null);
  if (!isCurrent()) return;
  const rule = rules.find((candidate) => candidate.id === ruleIdOf(kase));
  const reload = () => renderCase(view, { args: [caseId], isCurrent });
  mount(
    view,
    pageHead(h('span', { class: 'case-title' }, ruleIdOf(kase), ' ', badge(kase.status), ' ', severity(kase.severity)), {
      crumbs: h('a', { href: '#/cases' }, '← Cases'),
      sub: h('span', {}, 'Order ', h('a', { class: 'mono', href: `#/cases${query({ status: 'all', orderId: kase.orderId })}`, title: 'Every case of this order' }, kase.orderId), ' · case ', h('span', { class: 'mono' }, kase.id), ...(traces ? [' · ', traces] : [])),
    }),
    h(
      'div',
      { class: 'grid grid-2' },
      h('div', { class: 'stack' }, card('What disagrees', [h('p', { class: 'rule-text' }, kase.ruleDescription ?? rule?.description ?? ''), detailsList(kase.details)]), card('Case', summary(kase, rule))),
      h('div', { class: 'stack' }, card('Actions', actionsPanel(kase, reload)), card('Audit trail', auditTrail(kase), { flush: true, id: 'audit' })),
    ),
    h('div', { class: 'spacer' }),
    card('The order across the five services', timeline(kase), { flush: true, hint: timelineHint(kase), id: 'timeline' }),
    card('Evidence (raw)', h('details', { class: 'raw' }, h('summary', {}, 'Every service’s milestones as read at detection'), h('pre', { class: 'json' }, JSON.stringify(kase.evidence ?? {}, null, 2))), { flush: true }),
  );
}

/** `differenceMinor` → "Difference"; `cancellationRequestedAt` → "Cancellation requested at". */
function detailLabel(name) {
  return words(name.replace(/Minor$/, '').replace(/([A-Z])/g, ' $1'));
}

/** Amounts as money, instants as dates, lists of words as lists; anything else as compact JSON. */
function detailValue(name, value, currency) {
  if (typeof value === 'number' && name.endsWith('Minor')) return h('span', { class: value < 0 ? 'text-red strong' : null }, money(value, currency));
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return h('span', { title: value }, exact(value));
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return [...new Set(value)].join(', ') || '—';
  if (Array.isArray(value) && value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))) {
    return h(
      'ul',
      { class: 'detail-list' },
      value.map((item) => h('li', {}, Object.entries(item).map(([key, inner], index) => [index ? ' · ' : '', h('span', { class: 'muted' }, `${detailLabel(key)} `), detailValue(key, inner, currency)]))),
    );
  }
  if (value !== null && typeof value === 'object') return h('code', { class: 'detail-json' }, JSON.stringify(value, null, 1).replace(/\n\s*/g, ' '));
  return String(value);
}

function detailsList(details) {
  const currency = Array.isArray(details?.currencies) ? details.currencies[0] : details?.currency;
  const entries = Object.entries(details ?? {});
  if (!entries.length) return empty('No details recorded');
  return h(
    'dl',
    { class: 'facts' },
    entries.map(([name, value]) => fact(detailLabel(name), detailValue(name, value, currency))),
  );
}

function summary(kase, rule) {
  return h(
    'dl',
    { class: 'facts' },
    fact('Status', badge(kase.status)),
    fact('Severity', severity(kase.severity)),
    fact('Repair', repairText(kase, rule)),
    fact('Diverged since', exact(kase.divergedSince)),
    fact('Opened', h('span', { title: exact(kase.openedAt) }, `${ago(kase.openedAt)}${kase.openedBy ? ` by ${kase.openedBy}` : ''}`)),
    fact('Last detected', h('span', { title: exact(kase.lastDetectedAt) }, `${ago(kase.lastDetectedAt)} (${number(kase.detectionCount)}×)`)),
    fact('Repair attempts', `${kase.repairAttempts ?? 0}${kase.lastRepairAt ? ` · last ${ago(kase.lastRepairAt)}` : ''}`),
    kase.closedAt ? fact('Closed', exact(kase.closedAt)) : null,
    kase.resolution ? fact('Resolution', kase.resolution) : null,
  );
}

function repairText(kase, rule) {
  const repair = kase.repair ?? rule?.repair;
  const how = kase.repairKind === 'auto' ? 'Automatic' : 'By a person';
  return h('span', {}, h('strong', {}, how), repair?.description ? ` — ${repair.description}` : '', repair?.commands?.length ? h('div', { class: 'faint mono' }, repair.commands.join(', ')) : null);
}

/** The buttons the case's state allows, each with its note/reason form where one is needed. */
function actionsPanel(kase, reload) {
  const allowed = allowedActions(kase);
  const area = h('div', {});
  const act = async (button, path, body, done) => {
    button.disabled = true;
    try {
      await api.post(`/api/cases/${encodeURIComponent(kase.id)}/${path}`, body);
      toast(done);
      await reload();
    } catch (error) {
      toast(`${error.problem?.title ?? 'Action failed'}: ${error.message}`, { error: true });
      button.disabled = false;
    }
  };
  const withText = (action, { label, field, placeholder, path, done, danger }) => () => {
    const text = h('textarea', { id: `${action}-text`, name: field, placeholder, required: true, maxlength: '2000' });
    const submit = h('button', { class: danger ? 'btn btn-danger' : 'btn btn-primary', type: 'submit', dataset: { action: `${action}-confirm` } }, label);
    const form = h(
      'form',
      { class: 'action-form', onsubmit: (event) => {
        event.preventDefault();
        if (!text.value.trim()) return text.focus();
        void act(submit, path, { [field]: text.value.trim() }, done);
      } },
      h('label', { for: `${action}-text` }, field === 'note' ? 'Note for the audit trail' : 'Reason for the audit trail'),
      text,
      h('div', { class: 'row' }, h('button', { class: 'btn btn-ghost', type: 'button', onclick: () => mount(area) }, 'Cancel'), submit),
    );
    mount(area, form);
    text.focus();
  };

  const buttons = [
    allowed.retry
      ? h('button', { class: 'btn', type: 'button', dataset: { action: 'retry' }, title: 'Send the repair command(s) again', onclick: (event) => act(event.currentTarget, 'retry-repair', {}, 'Repair queued') }, 'Retry repair')
      : null,
    allowed.resolve
      ? h('button', { class: 'btn btn-primary', type: 'button', dataset: { action: 'resolve' }, onclick: withText('resolve', { label: 'Resolve case', field: 'note', placeholder: 'What was done, e.g. “Refunded by hand in the PSP console, ticket OPS-123”', path: 'resolve', done: 'Case resolved' }) }, 'Resolve…')
      : null,
    allowed.dismiss
      ? h('button', { class: 'btn btn-danger', type: 'button', dataset: { action: 'dismiss' }, onclick: withText('dismiss', { label: 'Dismiss case', field: 'reason', placeholder: 'Why this is not a problem', path: 'dismiss', done: 'Case dismissed', danger: true }) }, 'Dismiss…')
      : null,
    allowed.reopen
      ? h('button', { class: 'btn', type: 'button', dataset: { action: 'reopen' }, onclick: withText('reopen', { label: 'Reopen case', field: 'reason', placeholder: 'Why it needs another look', path: 'reopen', done: 'Case reopened' }) }, 'Reopen…')
      : null,
  ].filter(Boolean);
  return h(
    'div',
    { class: 'actions-panel' },
    buttons.length ? h('div', { class: 'row' }, buttons) : h('p', { class: 'muted' }, 'No action applies in this state.'),
    area,
    h('p', { class: 'faint' }, `Recorded in the audit trail as ${document.getElementById('operator')?.textContent || 'you'}.`),
  );
}

function auditTrail(kase) {
  // The service lists them oldest first (in the order they were written); newest on top here.
  const entries = [...(kase.audit ?? [])].reverse();
  if (!entries.length) return empty('No entries yet');
  return h(
    'ol',
    { class: 'audit' },
    entries.map((entry) =>
      h(
        'li',
        { dataset: { actor: entry.actor } },
        h('div', { class: 'when', title: exact(entry.at) }, shortTime(entry.at), h('br'), h('span', { class: 'faint' }, ago(entry.at))),
        h(
          'div',
          {},
          h('span', { class: isPerson(entry.actor) ? 'who person' : 'who' }, entry.actor),
          h('div', { class: 'what' }, (entry.from ?? entry.fromStatus) ? [badge(entry.from ?? entry.fromStatus), ' → '] : 'opened as ', badge(entry.to ?? entry.toStatus)),
          entry.reason ? h('div', { class: 'why' }, entry.reason) : null,
        ),
      ),
    ),
  );
}

/** Jobs and runs act under system names (run:…, job:…, system); people under their own. */
function isPerson(actor) {
  return !/^(system|run|job|schedule|reconciliation)([:/-]|$)/i.test(String(actor ?? ''));
}

function timelineHint(kase) {
  const observedAt = kase.evidence?.observedAt;
  return observedAt ? `milestones as read ${ago(observedAt)}` : '';
}
