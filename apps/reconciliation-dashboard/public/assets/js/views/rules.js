import { h, mount } from '../dom.js';
import { card, empty, pageHead, ruleTag, severity, table, td } from '../components.js';
import { duration } from '../format.js';
import { loadRules } from '../view-parts.js';
import { whatIfPanel } from '../what-if-panel.js';

export async function renderRules(view, { isCurrent }) {
  const rules = await loadRules();
  if (!isCurrent()) return;
  mount(
    view,
    pageHead('Rules', { sub: 'What must hold across the services. Before its grace period has passed, a difference is eventual consistency in flight, not a mismatch.' }),
    card(
      null,
      rules.length
        ? table(
            ['Rule', 'Holds when', 'Severity', { label: 'Grace', class: 'num' }, 'Repair', 'Reads'],
            rules.map((rule) => ({
              dataset: { rule: rule.id },
              cells: [
                td(h('a', { href: `#/cases?status=open&rule=${encodeURIComponent(rule.id)}`, title: 'Open cases of this rule' }, ruleTag(rule.id)), 'nowrap'),
                rule.description,
                severity(rule.severity),
                td(h('span', { title: rule.graceSetting ? `override with ${rule.graceSetting}` : null }, rule.graceMs === 0 ? 'none' : duration(rule.graceMs)), 'num nowrap'),
                repairText(rule.repair),
                td((rule.needs ?? []).join(', '), 'muted'),
              ],
            })),
          )
        : empty('No rules', 'The reconciliation service reports no rules.'),
      { flush: true },
    ),
    h('div', { class: 'spacer' }),
    card('What if', rules.length ? whatIfPanel(rules) : null, {
      flush: true,
      id: 'rules-what-if',
      hint: 'Another grace for a rule: which orders it would hold as violations, from what the scans know. Opens nothing.',
    }),
  );
}

function repairText(repair) {
  if (!repair) return '—';
  const kind = repair.kind === 'auto' ? h('span', { class: 'badge blue plain' }, 'automatic') : h('span', { class: 'badge purple plain' }, 'a person');
  return h('div', {}, kind, ' ', h('span', { class: 'muted' }, repair.description ?? ''), repair.commands?.length ? h('div', { class: 'faint mono' }, repair.commands.join(', ')) : null);
}
