// "What if this rule's grace were …?": the what-if answer of the reconciliation service for a rule
// and a grace an operator types, before anyone changes RULE_GRACE_MS_*. Opens nothing.
import { api } from './api.js';
import { h, mount } from './dom.js';
import { badge, table, toast } from './components.js';
import { ago, duration, exact, number } from './format.js';

const GROUPS = [
  ['wouldOpen', 'Would open', 'Within their grace today; violations with this grace.'],
  ['stillOpen', 'Still open', 'Open cases that are violations with this grace too.'],
  ['wouldNotHaveOpened', 'Would not have opened', 'Open cases this grace would not (yet) have opened.'],
  ['stillWithinGrace', 'Still within grace', 'Diverging, and within this grace too.'],
];
/** Orders listed per group on the page (the counts are whole). */
const SHOWN = 50;

export function whatIfPanel(rules) {
  const rule = h('select', { id: 'whatif-rule', name: 'rule' }, rules.map((r) => h('option', { value: r.id }, r.id)));
  const minutes = h('input', { id: 'whatif-grace', name: 'graceMinutes', type: 'number', min: '0', step: 'any', required: true, placeholder: 'minutes' });
  const result = h('div', { id: 'whatif-result' });
  const current = () => rules.find((r) => r.id === rule.value);
  const showCurrent = () => {
    minutes.value = String((current()?.graceMs ?? 0) / 60_000);
    mount(result);
  };
  rule.addEventListener('change', showCurrent);
  showCurrent();
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: async (event) => {
        event.preventDefault();
        const graceMs = Math.round(Number(minutes.value) * 60_000);
        if (!Number.isFinite(graceMs) || graceMs < 0) return toast('The grace is a number of minutes ≥ 0', { error: true });
        try {
          const answer = await api.get(`/api/rules/${encodeURIComponent(rule.value)}/what-if?graceMs=${graceMs}`);
          mount(result, answerView(answer));
        } catch (error) {
          toast(`${error.problem?.title ?? 'What-if failed'}: ${error.message}`, { error: true });
        }
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'whatif-rule' }, 'Rule'), rule),
    h('div', { class: 'field' }, h('label', { for: 'whatif-grace' }, 'Grace (minutes)'), minutes),
    h('button', { class: 'btn btn-primary', type: 'submit', dataset: { action: 'what-if' } }, 'Try'),
  );
  return h('div', { class: 'what-if' }, form, result);
}

function answerView(answer) {
  const summary = `${answer.rule} with a grace of ${answer.graceMs === 0 ? 'none' : duration(answer.graceMs)} (now ${answer.currentGraceMs === 0 ? 'none' : duration(answer.currentGraceMs)}), as of ${exact(answer.asOf)}: `
    + `${number(answer.wouldOpen.count)} would open, ${number(answer.wouldNotHaveOpened.count)} open would not have opened. Nothing was opened.`;
  return h(
    'div',
    { class: 'what-if-answer' },
    h('p', { class: 'muted what-if-summary' }, summary),
    GROUPS.map(([key, title, meaning]) => groupView(key, title, meaning, answer[key])),
  );
}

function groupView(key, title, meaning, group) {
  return h(
    'section',
    { class: 'what-if-group', dataset: { group: key, count: String(group.count) } },
    h('h3', {}, `${title} (${number(group.count)})`, ' ', h('span', { class: 'faint' }, meaning)),
    group.count === 0
      ? h('p', { class: 'faint' }, 'None.')
      : [
          table(
            ['Order', 'Diverged since', 'Case'],
            group.orders.slice(0, SHOWN).map((order) => ({
              dataset: { orderId: order.orderId },
              cells: [
                h('a', { class: 'mono', href: `#/orders/${encodeURIComponent(order.orderId)}` }, order.orderId),
                h('span', { title: exact(order.divergedSince) }, ago(order.divergedSince)),
                order.caseId ? h('a', { href: `#/cases/${encodeURIComponent(order.caseId)}` }, badge(order.status)) : h('span', { class: 'muted' }, 'no case'),
              ],
            })),
          ),
          group.count > SHOWN ? h('p', { class: 'faint' }, `The first ${SHOWN} of ${number(group.count)}.`) : null,
        ],
  );
}
