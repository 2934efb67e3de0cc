import { api, query } from '../api.js';
import { h, mount } from '../dom.js';
import { badge, card, empty, errorBox, numCell, pageHead, ruleTag, table, td } from '../components.js';
import { ago, duration, exact, number, words } from '../format.js';
import { itemsOf, OUTCOMES, outcomesOf, perRuleOf, runDurationMs, runKind, unavailableOf } from '../model.js';
import { fact, pager, runNowControl, runsTable } from '../view-parts.js';

export async function renderRuns(view, { params, isCurrent }) {
  const cursor = params.get('cursor') ?? '';
  const list = h('div', {}, h('p', { class: 'loading' }, 'Loading runs…'));
  const load = async () => {
    const answer = await api.get(`/api/runs${query({ cursor, limit: 25 })}`);
    if (!isCurrent()) return;
    const runs = itemsOf(answer);
    mount(
      list,
      card(
        null,
        [
          runs.length ? runsTable(runs) : empty('No runs yet', 'Start one with “Run now”; scheduled runs appear here too.'),
          pager(cursor, answer?.nextCursor, (next) => `#/runs${query({ cursor: next })}`),
        ],
        { flush: true },
      ),
    );
  };
  await load();
  mount(
    view,
    pageHead('Runs', {
      sub: 'Each run reads every service’s milestones and checks the rules. Incremental runs look at what changed since the last one.',
      actions: runNowControl({ onQueued: () => void load().catch((error) => mount(list, errorBox(error))) }),
    }),
    list,
  );
  // Queued and running runs change by the second: keep the list fresh while it is on screen.
  const timer = setInterval(() => {
    load().catch((error) => {
      if (isCurrent()) mount(list, errorBox(error, { retry: () => void load() }));
    });
  }, 5000);
  return () => clearInterval(timer);
}

export async function renderRun(view, { args: [runId], isCurrent }) {
  const load = async () => {
    const run = await api.get(`/api/runs/${encodeURIComponent(runId)}`);
    if (!isCurrent()) return run;
    const unavailable = unavailableOf(run);
    const rules = Object.entries(perRuleOf(run)).sort(([a], [b]) => a.localeCompare(b));
    const outcomes = Object.entries(outcomesOf(run));
    mount(
      view,
      pageHead(h('span', {}, `${runKind(run.kind)} `, badge(run.status)), {
        crumbs: h('a', { href: '#/runs' }, '← Runs'),
        sub: h('span', { class: 'mono' }, run.id),
        actions: h('a', { class: 'btn', href: `#/cases${query({ status: 'open' })}` }, 'Open cases →'),
      }),
      Object.keys(unavailable).length
        ? h(
            'div',
            { class: 'error-box banner', role: 'alert' },
            h('strong', {}, `${Object.keys(unavailable).length} service(s) did not answer: this run is incomplete`),
            h('div', {}, 'Rules that need them were not decided for the orders concerned (counted as unknown), and no case was opened or closed on missing data.'),
          )
        : null,
      h(
        'div',
        { class: 'grid grid-2' },
        card(
          'Counts per rule',
          rules.length
            ? table(
                ['Rule', ...OUTCOMES.map((outcome) => ({ label: words(outcome), class: 'num' }))],
                rules.map(([rule, counts]) => [ruleTag(rule), ...OUTCOMES.map((outcome) => (outcome === 'violated' && counts?.[outcome] ? td(counts[outcome], 'num text-red strong') : numCell(counts?.[outcome] ?? 0)))]),
              )
            : empty('No counts yet', run.status === 'queued' ? 'The run has not started.' : 'No order was checked.'),
          { flush: true, hint: '“Within grace” is eventual consistency still in flight' },
        ),
        h(
          'div',
          { class: 'stack' },
          card(
            'Summary',
            h(
              'dl',
              { class: 'facts' },
              fact('Status', badge(run.status)),
              fact('Mode', runKind(run.mode ?? run.kind)),
              fact('Trigger', `${words(run.trigger ?? '')}${run.requestedBy ? ` · ${run.requestedBy}` : ''}`),
              fact('Queued', h('span', { title: exact(run.queuedAt) }, ago(run.queuedAt))),
              fact('Started', run.startedAt ? exact(run.startedAt) : '—'),
              fact('Finished', run.finishedAt ? exact(run.finishedAt) : '—'),
              fact('Duration', duration(runDurationMs(run))),
              fact('Orders checked', number(run.ordersChecked)),
              fact('Attempts', run.attempts ?? '—'),
              run.error ? fact('Error', h('span', { class: 'mono' }, run.error)) : null,
            ),
          ),
          card(
            'Services that did not answer',
            Object.keys(unavailable).length
              ? table(['Service', 'Why'], Object.entries(unavailable).map(([service, why]) => [h('strong', {}, service), h('span', { class: 'mono' }, why || '—')]))
              : empty('Every service answered'),
            { flush: true },
          ),
          card(
            'What the run did',
            outcomes.length ? table(['Outcome', { label: 'Count', class: 'num' }], outcomes.map(([name, count]) => [words(name.replace(/([A-Z])/g, ' $1')), numCell(count)])) : empty('Nothing yet'),
            { flush: true },
          ),
          run.incompleteRules?.length ? card('Incomplete rules', h('div', {}, run.incompleteRules.map((rule) => [ruleTag(rule), ' ']))) : null,
        ),
      ),
    );
    return run;
  };
  const first = await load();
  if (first.status !== 'queued' && first.status !== 'running') return undefined;
  const timer = setInterval(async () => {
    try {
      const run = await load();
      if (run.status !== 'queued' && run.status !== 'running') clearInterval(timer);
    } catch (error) {
      clearInterval(timer);
      if (isCurrent()) view.prepend(errorBox(error, { what: 'Could not refresh this run' }));
    }
  }, 2000);
  return () => clearInterval(timer);
}
