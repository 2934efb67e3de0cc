import { z } from 'zod';
import { apiKeySettingItem } from './api-keys';
import { ConfigError, loadConfig } from './config';
import { credentialGuardOptions, credentialSettings } from './credential-settings';

/** The guard's options as a service starting with this environment gets them, or the problems it names. */
function startWith(env: NodeJS.ProcessEnv) {
  try {
    return credentialGuardOptions(loadConfig(z.object(credentialSettings), env));
  } catch (error) {
    if (error instanceof ConfigError) return { problems: error.problems };
    throw error;
  }
}

const keys = apiKeySettingItem('operator', 'write', 'a-key-of-the-operator');
const issuer = { OIDC_ISSUER: 'https://login.example.com/realms/shop', OIDC_AUDIENCE: 'commerce-api' };

describe('credentialGuardOptions: API keys, tokens of an OIDC issuer, or both', () => {
  it('refuses to start with neither, naming both settings', () => {
    const started = startWith({});
    expect(started).toEqual({ problems: [expect.stringMatching(/^SERVICE_API_KEYS is missing: .*OIDC_ISSUER/)] });
    expect(startWith({ SERVICE_API_KEYS: '' })).toEqual(started);
  });

  it('starts on API keys alone, accepting no token', () => {
    expect(startWith({ SERVICE_API_KEYS: keys })).toMatchObject({ keys: [{ caller: 'operator', scope: 'write' }], tokens: null });
  });

  it('starts on an OIDC issuer alone (an empty SERVICE_API_KEYS is unset), accepting no key', () => {
    for (const env of [issuer, { ...issuer, SERVICE_API_KEYS: '' }]) {
      expect(startWith(env)).toMatchObject({ keys: [], tokens: { issuer: issuer.OIDC_ISSUER, audience: 'commerce-api' } });
    }
  });

  it('starts on both, accepting either', () => {
    expect(startWith({ ...issuer, SERVICE_API_KEYS: keys })).toMatchObject({ keys: [{ caller: 'operator' }], tokens: { issuer: issuer.OIDC_ISSUER } });
  });

  it('still names an OIDC setting that is missing, and a malformed key', () => {
    expect(startWith({ OIDC_ISSUER: issuer.OIDC_ISSUER })).toEqual({ problems: [expect.stringMatching(/^OIDC_AUDIENCE is missing/)] });
    expect(startWith({ ...issuer, SERVICE_API_KEYS: 'operator:write:not-a-hash' })).toEqual({ problems: [expect.stringMatching(/^SERVICE_API_KEYS is invalid: item 1/)] });
  });
});
