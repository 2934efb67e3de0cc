// The webhooks: who hears of cases, and the deliveries that failed, each redelivered with who and
// why (recorded with the pipes' replays).
import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { badge, card, empty, pageHead, table, td } from '../components.js';
import { ago, exact, number } from '../format.js';
import { reasonedActions } from '../reasoned-actions.js';

export async function renderWebhooks(view, { isCurrent }) {
  const [config, failed, pending] = await Promise.all([
    api.get('/api/webhooks'),
    api.get('/api/webhooks/deliveries?status=failed&limit=100'),
    api.get('/api/webhooks/deliveries?status=pending&limit=100'),
  ]);
  if (!isCurrent()) return;
  const actions = reasonedActions({ id: 'redeliver-reason', verb: 'redeliver', noun: 'redeliveries', failed: 'Redelivery failed', reload: () => renderWebhooks(view, { isCurrent }) });
  const redeliver = (button, delivery) =>
    actions.act(
      button,
      (reason) => api.post(`/api/webhooks/deliveries/${encodeURIComponent(delivery.id)}/redeliver`, { reason }),
      () => `Redelivery queued (${delivery.event} to ${delivery.endpoint})`,
    );
  mount(
    view,
    pageHead('Webhooks', { sub: 'Who hears of cases (WEBHOOK_ENDPOINTS), and the deliveries that failed after every retry.' }),
    card('Endpoints', endpointsTable(config), { flush: true, id: 'webhook-endpoints' }),
    h('div', { class: 'spacer' }),
    card(
      'Failed deliveries',
      actions.withReason(deliveriesTable(failed, redeliver, 'No failed delivery', 'Every delivery reached its endpoint or is still being retried.')),
      { flush: true, id: 'webhook-failed' },
    ),
    h('div', { class: 'spacer' }),
    card('Waiting or being retried', deliveriesTable(pending, null, 'Nothing waiting', 'No delivery is due or waiting for a retry.'), { flush: true, id: 'webhook-pending' }),
  );
  return undefined;
}

function endpointsTable(config) {
  if (!config.endpoints.length) return empty('No webhooks configured', 'Set WEBHOOK_ENDPOINTS (and WEBHOOK_SECRET) on the reconciliation service.');
  return table(
    ['Endpoint', 'Events', { label: 'Pending', class: 'num' }, { label: 'Delivered', class: 'num' }, { label: 'Failed', class: 'num' }],
    config.endpoints.map((row) => ({
      dataset: { endpoint: row.endpoint },
      cells: [h('span', { class: 'mono' }, row.endpoint), row.events.join(', '), td(number(row.deliveries.PENDING), 'num'), td(number(row.deliveries.DELIVERED), 'num'), td(number(row.deliveries.FAILED), 'num')],
    })),
  );
}

function deliveriesTable(deliveries, redeliver, emptyTitle, emptyDetail) {
  if (!deliveries.length) return empty(emptyTitle, emptyDetail);
  return table(
    ['Event', 'Order', 'Endpoint', { label: 'Attempts', class: 'num' }, 'Last answer', redeliver ? 'Last try' : 'Next try', ''],
    deliveries.map((delivery) => ({
      dataset: { deliveryId: delivery.id },
      cells: [
        h('strong', {}, delivery.event),
        h('a', { class: 'mono', href: `#/cases/${encodeURIComponent(delivery.caseId)}` }, delivery.orderId),
        h('span', { class: 'mono' }, delivery.endpoint),
        td(`${number(delivery.attempts)} / ${number(delivery.maxAttempts)}`, 'num'),
        delivery.lastError ? h('span', { title: delivery.lastError }, delivery.lastStatusCode ? badge('failed', { label: String(delivery.lastStatusCode) }) : badge('failed', { label: 'no answer' }), ' ', delivery.lastError.replace(/^HTTP \d+:? ?/, '')) : '—',
        redeliver
          ? delivery.lastAttemptAt
            ? h('span', { title: exact(delivery.lastAttemptAt) }, ago(delivery.lastAttemptAt))
            : '—'
          : delivery.nextAttemptAt
            ? h('span', { title: exact(delivery.nextAttemptAt) }, exact(delivery.nextAttemptAt))
            : '—',
        redeliver ? h('button', { class: 'btn btn-sm', type: 'button', dataset: { action: 'redeliver' }, onclick: (event) => redeliver(event.currentTarget, delivery) }, 'Redeliver') : '',
      ],
    })),
  );
}
