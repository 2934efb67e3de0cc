// The dashboard's one page: hash routes → views. Each view renders into #view and may return a
// cleanup function (timers).
import { api } from './api.js';
import { mount } from './dom.js';
import { errorBox } from './components.js';
import { currentRoute, navigate, onRouteChange } from './router.js';
import { renderOverview } from './views/overview.js';
import { renderRuns, renderRun } from './views/runs.js';
import { renderCases, renderCase } from './views/cases.js';
import { renderRules } from './views/rules.js';
import { renderOrder, renderOrderSearch, wireOrderSearch } from './views/orders.js';
import { renderPipes } from './views/pipes.js';
import { renderWebhooks } from './views/webhooks.js';

const routes = [
  { pattern: /^\/overview$/, section: 'overview', render: renderOverview },
  { pattern: /^\/runs$/, section: 'runs', render: renderRuns },
  { pattern: /^\/runs\/([^/]+)$/, section: 'runs', render: renderRun },
  { pattern: /^\/cases$/, section: 'cases', render: renderCases },
  { pattern: /^\/cases\/([^/]+)$/, section: 'cases', render: renderCase },
  { pattern: /^\/rules$/, section: 'rules', render: renderRules },
  { pattern: /^\/orders$/, section: 'orders', render: renderOrderSearch },
  { pattern: /^\/orders\/([^/]+)$/, section: 'orders', render: renderOrder },
  { pattern: /^\/pipes$/, section: 'pipes', render: renderPipes },
  { pattern: /^\/webhooks$/, section: 'webhooks', render: renderWebhooks },
];

const view = document.getElementById('view');
let cleanup = null;
let generation = 0;

async function render() {
  const { path, params } = currentRoute();
  const route = routes.find((candidate) => candidate.pattern.test(path));
  if (!route) {
    navigate('/overview', {}, { replace: true });
    return;
  }
  for (const link of document.querySelectorAll('.sidebar nav a')) link.classList.toggle('active', link.dataset.section === route.section);
  if (cleanup) cleanup();
  cleanup = null;
  const mine = ++generation;
  const match = route.pattern.exec(path);
  const context = {
    params,
    args: match.slice(1).map(decodeURIComponent),
    /** False once the user has moved on: views stop updating the page. */
    isCurrent: () => mine === generation,
  };
  try {
    const result = await route.render(view, context);
    if (typeof result === 'function') {
      if (context.isCurrent()) cleanup = result;
      else result();
    }
  } catch (error) {
    if (context.isCurrent()) mount(view, errorBox(error, { retry: () => render() }));
    if (error?.status !== 401) console.warn('view failed', error);
  }
}

async function showOperator() {
  const element = document.getElementById('operator');
  try {
    const { operator } = await api.get('/ui-api/session');
    element.textContent = operator;
  } catch (error) {
    element.textContent = 'unknown operator';
    if (error?.status !== 401) console.warn('session lookup failed', error);
  }
}

onRouteChange(render);
wireOrderSearch(document.getElementById('order-search'));
void showOperator();
void render();
