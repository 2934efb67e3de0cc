// The order explorer: one orderId everywhere (GET /api/orders/:orderId), with or without a case.
import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { badge, card, empty, pageHead, table, td, toast } from '../components.js';
import { ago, exact, shortId, shortTime } from '../format.js';
import { SERVICES } from '../model.js';
import { navigate } from '../router.js';
import { casesTable, timeline, traceLink } from '../view-parts.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * What an operator pasted (a URL, a log line, a ticket's text) → the orderId in it: the first UUID
 * if there is one, else the longest word holding a digit (ids in tests and old data), else the text.
 */
export function orderIdIn(text) {
  const value = String(text ?? '').trim();
  const uuid = UUID.exec(value)?.[0];
  if (uuid) return uuid;
  const words = value.split(/[\s,;:"'<>()/?#&=]+/).filter((word) => /\d/.test(word));
  return words.sort((a, b) => b.length - a.length)[0] ?? value;
}

/** The sidebar's search box: on every page, goes to the explorer. */
export function wireOrderSearch(form) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const orderId = orderIdIn(new FormData(form).get('orderId'));
    if (orderId) navigate(`/orders/${encodeURIComponent(orderId)}`);
  });
}

export async function renderOrderSearch(view) {
  const form = h(
    'form',
    { class: 'order-search-page', id: 'order-search-page' },
    h('label', { for: 'order-search-page-input' }, 'Order id'),
    h('input', { id: 'order-search-page-input', name: 'orderId', placeholder: 'Paste an orderId, or text holding one', autocomplete: 'off', required: true }),
    h('button', { class: 'btn btn-primary', type: 'submit' }, 'Explore'),
  );
  wireOrderSearch(form);
  mount(view, pageHead('Order explorer', { sub: 'Any order, with or without a case: every service, its messages on Kafka, what is stuck, its cases and checks.' }), card('Find an order', form));
}

export async function renderOrder(view, { args: [orderId], isCurrent }) {
  const order = await api.get(`/api/orders/${encodeURIComponent(orderId)}`);
  const traces = order.known ? await traceLink(order.orderId).catch(() => null) : null;
  if (!isCurrent()) return;
  const reload = () => renderOrder(view, { args: [orderId], isCurrent });
  const head = pageHead(h('span', { class: 'mono' }, order.orderId), {
    crumbs: h('a', { href: '#/orders' }, '← Order explorer'),
    sub: order.known
      ? h('span', {}, `read ${ago(order.observedAt)}${order.unavailable.length ? ` · ${order.unavailable.join(', ')} did not answer` : ''}`, ...(traces ? [' · ', traces] : []))
      : null,
    actions: checkNow(order.orderId, reload),
  });
  if (!order.known) {
    mount(view, head, card('Not found', h('div', { id: 'order-unknown' }, empty(order.message, 'Check the id; an order placed a moment ago may not be everywhere yet.'))), checksCard(order));
    return;
  }
  mount(
    view,
    head,
    card('The order across the five services', timeline({ evidence: { services: order.services, observedAt: order.observedAt }, timeline: order.timeline }), { flush: true, id: 'order-timeline' }),
    h('div', { class: 'spacer' }),
    card('Its messages on Kafka', eventsTable(order.events), { flush: true, id: 'order-events', hint: readHint(order.eventsRead) }),
    h('div', { class: 'spacer' }),
    card('Not published, or dead-lettered', pipesTable(order.pipes), { flush: true, id: 'order-pipes' }),
    h('div', { class: 'spacer' }),
    card('Cases', order.cases.length ? casesTable(order.cases) : empty('No case for this order'), { flush: true, id: 'order-cases' }),
    h('div', { class: 'spacer' }),
    checksCard(order),
  );
}

function checkNow(orderId, reload) {
  return h(
    'button',
    {
      class: 'btn btn-primary',
      type: 'button',
      dataset: { action: 'check-now' },
      title: 'Run an order check now (recorded under your name)',
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          const { runId } = await api.post(`/api/orders/${encodeURIComponent(orderId)}/check`, {});
          toast(`Check queued (run ${shortId(runId)})`);
          await reload();
        } catch (error) {
          toast(`${error.problem?.title ?? 'Check failed'}: ${error.message}`, { error: true });
          button.disabled = false;
        }
      },
    },
    'Check now',
  );
}

function readHint(read) {
  if (!read) return '';
  const scanned = read.topics.reduce((sum, topic) => sum + topic.scanned, 0);
  const truncated = read.topics.filter((topic) => topic.truncated).map((topic) => topic.topic);
  return `${scanned} messages read on partition ${read.topics[0]?.partition ?? '?'}${read.complete ? '' : ' · timed out, partial'}${truncated.length ? ` · truncated: ${truncated.join(', ')}` : ''}`;
}

function eventsTable(events) {
  if (!events.length) return empty('No message of this order on Kafka in the range read');
  return table(
    ['When', 'Type', 'Producer', 'Topic', 'Partition/offset', 'Event id', 'Correlation id'],
    events.map((event) => ({
      dataset: { eventId: event.eventId ?? '' },
      cells: [
        td(h('span', { title: exact(event.timestamp) }, shortTime(event.timestamp)), 'nowrap'),
        h('strong', {}, event.type ?? '?'),
        event.producer ?? '—',
        h('span', { class: 'mono' }, event.topic),
        h('span', { class: 'mono' }, `${event.partition}/${event.offset}`),
        h('span', { class: 'mono', title: event.eventId }, shortId(event.eventId ?? '')),
        h('span', { class: 'mono', title: event.correlationId }, shortId(event.correlationId ?? '')),
      ],
    })),
  );
}

function pipesTable(pipes) {
  return table(
    ['Service', 'Outbox not yet published', 'Dead letters'],
    SERVICES.map((service) => {
      const answer = pipes?.[service];
      if (!answer || answer.unavailable) return { dataset: { service }, cells: [service, badge('unavailable', { label: 'did not answer' }), answer?.unavailable ?? ''] };
      const pending = answer.outbox.items ?? [];
      return {
        dataset: { service },
        cells: [
          service,
          pending.length ? h('ul', { class: 'detail-list' }, pending.map((row) => h('li', {}, h('strong', {}, row.eventType), ` · since ${ago(row.createdAt)}`))) : h('span', { class: 'muted' }, 'none'),
          answer.deadLetters.length
            ? h('ul', { class: 'detail-list' }, answer.deadLetters.map((letter) => h('li', {}, h('strong', {}, letter.eventType ?? '?'), ` · ${letter.reason}`, letter.replayedAt ? ' (replayed)' : '')))
            : h('span', { class: 'muted' }, 'none'),
        ],
      };
    }),
  );
}

function checksCard(order) {
  const body = order.checks.length
    ? table(
        ['Run', 'Status', 'Asked by', 'Queued', 'Finished'],
        order.checks.map((check) => ({
          href: `/runs/${encodeURIComponent(check.runId)}`,
          cells: [h('a', { class: 'mono', href: `#/runs/${encodeURIComponent(check.runId)}` }, shortId(check.runId)), badge(check.status), check.requestedBy ?? check.trigger, ago(check.queuedAt), check.finishedAt ? ago(check.finishedAt) : '—'],
        })),
      )
    : empty('No order check yet');
  return card('Order checks', body, { flush: true, id: 'order-checks' });
}
