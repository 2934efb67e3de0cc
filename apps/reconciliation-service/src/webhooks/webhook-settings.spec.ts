import { loadConfig } from '@commerce/platform';
import { configSchema } from '../config';
import { displayUrl, parseWebhookEndpoints } from './webhook-settings';

describe('WEBHOOK_ENDPOINTS', () => {
  it('reads "<url> <events>" items separated by ; or new lines, * meaning every event', () => {
    const endpoints = parseWebhookEndpoints(' https://ops.example/hooks case.needs-attention,case.reopened ;\nhttp://127.0.0.1:9/x?token=t *  ');
    expect(endpoints.map((e) => [e.url, [...e.events]])).toEqual([
      ['https://ops.example/hooks', ['case.needs-attention', 'case.reopened']],
      ['http://127.0.0.1:9/x?token=t', ['case.opened', 'case.needs-attention', 'case.repaired', 'case.reopened']],
    ]);
  });

  it('is empty when unset', () => {
    expect(parseWebhookEndpoints('')).toEqual([]);
  });

  it.each([
    ['https://a.example/h', /item 1 is not "<url> <event>/],
    ['https://a.example/h case.opened; ftp://b.example/h *', /item 2: the URL must be http\(s\)/],
    ['nowhere case.opened', /item 1: "nowhere" is not a URL/],
    ['https://a.example/h case.closed', /item 1: unknown event "case.closed"/],
    ['https://a.example/h *; https://a.example/h case.opened', /item 2: https:\/\/a.example\/h is listed twice/],
  ])('refuses %j naming the item', (setting, message) => {
    expect(() => parseWebhookEndpoints(setting)).toThrow(message);
  });

  const required = { RECONCILIATION_API_KEY: 'k'.repeat(16), SERVICES_CALLER_KEY: 'm' };

  it('stops start-up naming the setting when an item is malformed', () => {
    expect(() => loadConfig(configSchema, { ...required, WEBHOOK_ENDPOINTS: 'https://a.example/h case.closed', WEBHOOK_SECRET: 's'.repeat(16) })).toThrow(
      /WEBHOOK_ENDPOINTS is invalid: item 1: unknown event/,
    );
  });

  it('needs WEBHOOK_SECRET once an endpoint is listed, and only then', () => {
    expect(() => loadConfig(configSchema, { ...required, WEBHOOK_ENDPOINTS: 'https://a.example/h *' })).toThrow(/WEBHOOK_SECRET is missing: required when WEBHOOK_ENDPOINTS/);
    expect(() => loadConfig(configSchema, { ...required, WEBHOOK_ENDPOINTS: 'https://a.example/h *', WEBHOOK_SECRET: 'short' })).toThrow(/WEBHOOK_SECRET is invalid: must be at least 16/);
    expect(loadConfig(configSchema, required).WEBHOOK_ENDPOINTS).toEqual([]);
    // docker-compose passes both through, empty when unset.
    expect(loadConfig(configSchema, { ...required, WEBHOOK_ENDPOINTS: '', WEBHOOK_SECRET: '' }).WEBHOOK_SECRET).toBeUndefined();
  });
});

describe('displayUrl', () => {
  it('leaves out user info and the query string, which often hold a token', () => {
    expect(displayUrl('https://user:pw@hooks.example/a/b?token=secret')).toBe('https://hooks.example/a/b?…');
    expect(displayUrl('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080/x');
  });
});
