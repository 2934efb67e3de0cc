// The pipes: per service, what its outbox holds back and which relay publishes it, how far its
// consumer is behind, what it dead-lettered; replays of one dead letter or all of a type, each recorded with who and why.
import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { badge, card, empty, pageHead, table, td } from '../components.js';
import { ago, exact, number } from '../format.js';
import { reasonedActions } from '../reasoned-actions.js';

export async function renderPipes(view, { isCurrent }) {
  const [pipes, audit] = await Promise.all([api.get('/api/pipes'), api.get('/api/pipes/audit?limit=20')]);
  if (!isCurrent()) return;
  const actions = reasonedActions({ id: 'replay-reason', verb: 'replay', noun: 'replays', failed: 'Replay failed', reload: () => renderPipes(view, { isCurrent }) });
  const replay = (button, service, body, what) =>
    actions.act(
      button,
      (reason) => api.post(`/api/pipes/${encodeURIComponent(service)}/dead-letters/replay`, { ...body, reason }),
      (done) => `Replayed ${done.replayed} of ${done.results.length} (${what})`,
    );
  mount(
    view,
    pageHead('Pipes', { sub: 'Per service: the outbox not yet published and which replica’s relay publishes it, the consumer’s lag per partition, and the dead letters.' }),
    card('The five services', overviewTable(pipes), { flush: true, id: 'pipes-overview' }),
    h('div', { class: 'spacer' }),
    card('Dead letters', actions.withReason(deadLettersTable(pipes, replay)), { flush: true, id: 'pipes-dead-letters' }),
    h('div', { class: 'spacer' }),
    card('Replays', auditTable(audit), { flush: true, id: 'pipes-audit' }),
  );
  return undefined;
}

function overviewTable(pipes) {
  return table(
    ['Service', { label: 'Outbox pending', class: 'num' }, 'Oldest pending', 'Last publish', 'Relay lock', { label: 'Consumer lag', class: 'num' }, 'Lag per partition', { label: 'Dead letters', class: 'num' }],
    pipes.map((row) => {
      if (row.unavailable) return { dataset: { service: row.service }, cells: [row.service, badge('unavailable', { label: 'did not answer' }), row.unavailable, '', '', '', '', ''] };
      const lagged = row.consumer.lag?.filter((entry) => entry.lag > 0) ?? [];
      return {
        dataset: { service: row.service },
        cells: [
          h('strong', {}, row.service),
          td(number(row.outbox.count), 'num'),
          row.outbox.oldestCreatedAt ? h('span', { title: exact(row.outbox.oldestCreatedAt) }, ago(row.outbox.oldestCreatedAt)) : '—',
          row.outbox.lastPublishedAt ? h('span', { title: exact(row.outbox.lastPublishedAt) }, ago(row.outbox.lastPublishedAt)) : 'never',
          relayLock(row.outbox.relayLock),
          td(row.consumer.unavailable ? '?' : number(row.consumer.totalLag), 'num'),
          row.consumer.unavailable ? h('span', { class: 'muted' }, row.consumer.unavailable) : lagged.length ? h('span', { class: 'mono' }, lagged.map((entry) => `${entry.topic}[${entry.partition}] ${entry.lag}`).join(' · ')) : h('span', { class: 'muted' }, 'none'),
          td(number(row.deadLetters.count), 'num'),
        ],
      };
    }),
  );
}

/** Which relay publishes the service's outbox: the holder of its lock (a replica's host:pid), or none. */
function relayLock(holder) {
  if (holder === undefined) return h('span', { class: 'muted' }, '?');
  if (holder === null) return badge('failed', { label: 'no relay holds it' });
  const who = holder.application.replace(/^outbox-relay /, '');
  return h('span', { class: 'mono', dataset: { relayLock: who }, title: `Postgres backend ${holder.backendPid}${holder.clientAddress ? ` from ${holder.clientAddress}` : ''}, connected ${exact(holder.connectedSince)}` }, who);
}

function deadLettersTable(pipes, replay) {
  const rows = pipes.filter((row) => !row.unavailable).flatMap((row) => row.deadLetters.items.map((letter) => ({ service: row.service, letter })));
  if (!rows.length) return empty('No dead letters', 'Every consumed message was applied.');
  const byType = pipes.filter((row) => !row.unavailable).flatMap((row) => Object.entries(row.deadLetters.byType).map(([type, count]) => ({ service: row.service, type, count })));
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'replay-types' },
      byType.map(({ service, type, count }) =>
        h('button', { class: 'btn', type: 'button', dataset: { action: 'replay-type', service, type }, onclick: (event) => replay(event.currentTarget, service, { eventType: type }, `${service}: every ${type}`) }, `Replay all ${count} ${type} (${service})`),
      ),
    ),
    table(
      ['Service', 'Type', 'Order', 'Failed', 'Reason', ''],
      rows.map(({ service, letter }) => ({
        dataset: { deadLetterId: letter.id, service },
        cells: [
          service,
          h('strong', {}, letter.eventType ?? '?'),
          h('span', { class: 'mono' }, letter.orderId ?? '—'),
          h('span', { title: exact(letter.failedAt) }, ago(letter.failedAt)),
          letter.reason,
          h('button', { class: 'btn btn-sm', type: 'button', dataset: { action: 'replay-one' }, onclick: (event) => replay(event.currentTarget, service, { ids: [letter.id] }, `${service} #${letter.id}`) }, 'Replay'),
        ],
      })),
    ),
  );
}

function auditTable(audit) {
  if (!audit.length) return empty('No replay yet');
  return table(
    ['When', 'Who', 'Service', 'Dead letter', 'Outcome', 'Why'],
    audit.map((row) => ({
      dataset: { actor: row.actor },
      cells: [h('span', { title: exact(row.at) }, ago(row.at)), h('strong', {}, row.actor), row.service, `#${row.subject}${row.eventType ? ` (${row.eventType})` : ''}`, badge(row.outcome), row.reason],
    })),
  );
}
