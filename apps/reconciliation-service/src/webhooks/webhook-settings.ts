import { type WebhookEndpoint, type WebhookEvent, WEBHOOK_EVENTS } from './webhook-events';

/**
 * Parses WEBHOOK_ENDPOINTS: items separated by `;` (or new lines), each `<url> <events>` where
 * events is a comma-separated list of WEBHOOK_EVENTS or `*` for all of them. For example
 * `https://ops.example/hooks case.needs-attention; https://chat.example/x *`.
 * Throws naming the item (by position) and what is wrong with it.
 */
export function parseWebhookEndpoints(setting: string): WebhookEndpoint[] {
  const items = setting
    .split(/[;\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  return items.map((item, index) => {
    const where = `item ${index + 1}`;
    const [url, events, ...extra] = item.split(/\s+/);
    if (!events || extra.length > 0) throw new Error(`${where} is not "<url> <event>,<event>|*"`);
    let parsed: URL;
    try {
      parsed = new URL(url as string);
    } catch {
      throw new Error(`${where}: "${url}" is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${where}: the URL must be http(s)`);
    if (seen.has(parsed.href)) throw new Error(`${where}: ${displayUrl(parsed.href)} is listed twice`);
    seen.add(parsed.href);
    return { url: parsed.href, events: eventSet(events, where) };
  });
}

function eventSet(list: string, where: string): ReadonlySet<WebhookEvent> {
  if (list === '*') return new Set(WEBHOOK_EVENTS);
  const names = list.split(',').filter(Boolean);
  for (const name of names) {
    if (!(WEBHOOK_EVENTS as readonly string[]).includes(name)) throw new Error(`${where}: unknown event "${name}" (one of ${WEBHOOK_EVENTS.join(', ')}, or *)`);
  }
  if (names.length === 0) throw new Error(`${where} names no event`);
  return new Set(names as WebhookEvent[]);
}

/**
 * An endpoint as the API and the dashboard show it: without user info or query string, which
 * often carry a receiver's token.
 */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
}
