import { z } from 'zod';
import { apiKeyHash, apiKeySettingItem, apiKeySettings, findApiKey, parseApiKeys, scopeAllows } from './api-keys';
import { loadConfig } from './config';

describe('SERVICE_API_KEYS', () => {
  const schema = z.object(apiKeySettings);

  it('holds each caller\'s scope and the SHA-256 of its key, never the key', () => {
    const setting = [apiKeySettingItem('dashboard', 'write', 'key-one'), apiKeySettingItem('reconciliation', 'read', 'key-two')].join(',');
    expect(setting).not.toContain('key-one');
    const entries = parseApiKeys(setting);
    expect(entries.map((e) => [e.caller, e.scope, e.hash.toString('hex')])).toEqual([
      ['dashboard', 'write', apiKeyHash('key-one')],
      ['reconciliation', 'read', apiKeyHash('key-two')],
    ]);
    expect(findApiKey(entries, 'key-two')?.caller).toBe('reconciliation');
    expect(findApiKey(entries, 'key-three')).toBeNull();
  });

  it('names a malformed item by position without echoing it (whether it is required: credential-settings.spec.ts)', () => {
    expect(loadConfig(schema, {}).SERVICE_API_KEYS).toBeUndefined();
    expect(loadConfig(schema, { SERVICE_API_KEYS: '' }).SERVICE_API_KEYS).toBeUndefined();
    const pasted = 'ops:write:the-plain-key-by-mistake';
    let message = '';
    try {
      loadConfig(schema, { SERVICE_API_KEYS: `${apiKeySettingItem('a', 'read', 'k')},${pasted}` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SERVICE_API_KEYS is invalid: item 2 is not caller:read\|write:<sha256/);
    expect(message).not.toContain('the-plain-key-by-mistake');
    expect(() => loadConfig(schema, { SERVICE_API_KEYS: ' , ' })).toThrow(/holds no key/);
    expect(() => loadConfig(schema, { SERVICE_API_KEYS: `a:admin:${apiKeyHash('k')}` })).toThrow(/item 1/);
  });

  it('lets read keys GET, HEAD and OPTIONS only; write keys everything', () => {
    expect(['GET', 'head', 'OPTIONS'].every((m) => scopeAllows('read', m))).toBe(true);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].some((m) => scopeAllows('read', m))).toBe(false);
    expect(['GET', 'POST', 'DELETE'].every((m) => scopeAllows('write', m))).toBe(true);
  });
});
