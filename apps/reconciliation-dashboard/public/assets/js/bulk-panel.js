// Many cases at once: a bulk action over the cases page's filters, dry run first, then applied to
// exactly the cases the dry run listed; and the CSV export of the same list.
import { api, query } from './api.js';
import { h, mount } from './dom.js';
import { badge, empty, table, toast } from './components.js';
import { SERVICES } from './model.js';

const ACTIONS = [
  { value: 'resolve', label: 'Resolve', needsNote: true },
  { value: 'dismiss', label: 'Dismiss', needsNote: true },
  { value: 'retry-repair', label: 'Retry repair', needsNote: false },
];

/** The cases page's filters as the service's bulk/export filter. */
export function caseFilter({ status, rule, orderId, olderThan, service }) {
  const filter = { status: status || 'open', rule, orderId: orderId?.trim(), olderThan, service };
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value));
}

export function exportLink(filter) {
  return h('a', { class: 'btn btn-ghost', href: `/api/cases/export${query(filter)}`, download: 'cases.csv', dataset: { action: 'export-csv' } }, 'Export CSV');
}

/** The panel: action, service, note; "Dry run" shows what would happen, "Apply" does it. */
export function bulkPanel(pageFilter, { onApplied }) {
  const action = h('select', { id: 'bulk-action', name: 'action' }, ACTIONS.map((a) => h('option', { value: a.value }, a.label)));
  const service = h('select', { id: 'bulk-service', name: 'service' }, h('option', { value: '' }, 'Any service'), SERVICES.map((s) => h('option', { value: s }, s)));
  const note = h('input', { id: 'bulk-note', name: 'note', placeholder: 'Note for every case’s audit trail', maxlength: '2000' });
  const outcome = h('div', { id: 'bulk-outcome' });
  const dryRun = async () => {
    const filter = caseFilter({ ...pageFilter, service: service.value });
    const plan = await api.post('/api/cases/bulk', { action: action.value, dryRun: true, filter });
    mount(outcome, planView(plan, async (button) => {
      const chosen = ACTIONS.find((a) => a.value === plan.action);
      if (chosen?.needsNote && !note.value.trim()) {
        toast('Write a note for the audit trail first', { error: true });
        return note.focus();
      }
      button.disabled = true;
      try {
        const done = await api.post('/api/cases/bulk', { action: plan.action, dryRun: false, caseIds: plan.caseIds, note: note.value.trim() || undefined });
        toast(`${chosen?.label ?? plan.action}: ${done.done} of ${plan.caseIds.length} cases`);
        mount(outcome);
        await onApplied();
      } catch (error) {
        toast(`${error.problem?.title ?? 'Bulk action failed'}: ${error.message}`, { error: true });
        button.disabled = false;
      }
    }));
  };
  return h(
    'div',
    { class: 'bulk-panel card-body' },
    h(
      'form',
      { class: 'filters', onsubmit: (event) => (event.preventDefault(), void dryRun().catch((error) => toast(`${error.problem?.title ?? 'Dry run failed'}: ${error.message}`, { error: true }))) },
      h('div', { class: 'field' }, h('label', { for: 'bulk-action' }, 'Bulk action on these filters'), action),
      h('div', { class: 'field' }, h('label', { for: 'bulk-service' }, 'Service'), service),
      h('div', { class: 'field grow' }, h('label', { for: 'bulk-note' }, 'Note'), note),
      h('button', { class: 'btn', type: 'submit', dataset: { action: 'bulk-dry-run' } }, 'Dry run'),
    ),
    outcome,
  );
}

function planView(plan, apply) {
  const applicable = plan.caseIds.length;
  return h(
    'div',
    { class: 'bulk-plan', dataset: { cases: String(applicable) } },
    h('p', {}, h('strong', {}, `${applicable} case${applicable === 1 ? '' : 's'}`), ` would be touched by ${plan.action}`, plan.truncated ? ' (more match: only the first 500 are listed)' : '', '.'),
    plan.cases.length
      ? table(
          ['Case', 'Order', 'Rule', 'Now', 'After', 'Sends'],
          plan.cases.map((kase) => ({
            dataset: { planCaseId: kase.id, applies: String(kase.applies) },
            cells: [
              h('span', { class: 'mono', title: kase.id }, kase.id.slice(0, 8)),
              h('span', { class: 'mono' }, kase.orderId),
              kase.rule,
              badge(kase.status),
              kase.applies ? badge(kase.to) : h('span', { class: 'muted', title: kase.why }, 'not applicable'),
              kase.sends.length ? h('span', { class: 'mono' }, kase.sends.join(', ')) : '—',
            ],
          })),
        )
      : empty('No case matches these filters'),
    applicable ? h('button', { class: 'btn btn-primary', type: 'button', dataset: { action: 'bulk-apply' }, onclick: (event) => apply(event.currentTarget) }, `Apply to ${applicable} case${applicable === 1 ? '' : 's'}`) : null,
  );
}
