import { z } from 'zod';
import { loadConfig } from './config';
import { ConfigError } from './config-error';
import { bearerTokenOptions, bearerTokenSettings, scopeOfToken, tokenScopes } from './bearer-tokens';

const schema = z.object(bearerTokenSettings);
const mapping = { scopeClaim: 'scope', readScope: 'commerce.read', writeScope: 'commerce.write' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    bearerTokenOptions(loadConfig(schema, env));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('bearerTokenOptions', () => {
  it('is null without an issuer, empty values included (API keys only)', () => {
    expect(bearerTokenOptions(loadConfig(schema, {}))).toBeNull();
    expect(bearerTokenOptions(loadConfig(schema, { OIDC_ISSUER: '', OIDC_AUDIENCE: '', OIDC_JWKS_URL: '' }))).toBeNull();
  });

  it('gives the issuer, audience and default scope mapping', () => {
    expect(bearerTokenOptions(loadConfig(schema, { OIDC_ISSUER: 'https://login.example.com/realms/shop', OIDC_AUDIENCE: 'commerce-api' }))).toEqual({
      issuer: 'https://login.example.com/realms/shop',
      audience: 'commerce-api',
      ...mapping,
      jwksCooldownSeconds: 30,
    });
  });

  it('names what is missing or malformed', () => {
    expect(problemsOf({ OIDC_ISSUER: 'https://login.example.com' })).toEqual([expect.stringMatching(/^OIDC_AUDIENCE is missing/)]);
    expect(problemsOf({ OIDC_AUDIENCE: 'commerce-api' })).toEqual([expect.stringMatching(/^OIDC_ISSUER is missing: OIDC_AUDIENCE is set/)]);
    expect(problemsOf({ OIDC_ISSUER: 'ftp://login.example.com', OIDC_AUDIENCE: 'a' })).toEqual([expect.stringMatching(/^OIDC_ISSUER is invalid/)]);
    expect(problemsOf({ OIDC_ISSUER: 'https://login.example.com', OIDC_AUDIENCE: 'a', OIDC_JWKS_URL: 'keys' })).toEqual([expect.stringMatching(/^OIDC_JWKS_URL is invalid/)]);
  });
});

describe('the scope of a token', () => {
  it('reads a space-separated claim or an array claim', () => {
    expect(tokenScopes('openid commerce.read')).toEqual(['openid', 'commerce.read']);
    expect(tokenScopes(['commerce.write', 7])).toEqual(['commerce.write']);
    expect(tokenScopes(undefined)).toEqual([]);
  });

  it('is write when the write scope is granted (reads included), read for the read scope, else none', () => {
    expect(scopeOfToken({ scope: 'commerce.read commerce.write' }, mapping)).toBe('write');
    expect(scopeOfToken({ scope: 'openid commerce.read' }, mapping)).toBe('read');
    expect(scopeOfToken({ scope: 'openid' }, mapping)).toBeNull();
    expect(scopeOfToken({ scp: ['commerce.write'] }, { ...mapping, scopeClaim: 'scp' })).toBe('write');
  });
});
