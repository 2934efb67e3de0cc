import type { z } from 'zod';
import { apiKeySettings } from './api-keys';
import { bearerTokenOptions, bearerTokenSettings } from './bearer-tokens';
import { ConfigError } from './config-error';
import type { CredentialGuardOptions } from './credential-guard';

/**
 * What a service whose REST needs credentials spreads into its config schema: API keys
 * (SERVICE_API_KEYS) and JWTs of an OIDC issuer (OIDC_*), either or both; credentialGuardOptions
 * refuses to start with neither.
 */
export const credentialSettings = { ...apiKeySettings, ...bearerTokenSettings };

/** The validated credential settings (`credentialSettings` after loadConfig); any may be absent. */
export type CredentialConfig = Partial<{ [K in keyof typeof credentialSettings]: z.infer<(typeof credentialSettings)[K]> }>;

/** Why a service with neither keys nor an issuer does not start: it would refuse every caller. */
const NO_CREDENTIAL_PROBLEM =
  'SERVICE_API_KEYS is missing: set the API keys of the callers (caller:read|write:<sha256 of the key>,...), or OIDC_ISSUER (with OIDC_AUDIENCE) to accept JWTs of that issuer, or both';

/**
 * The guard's options from the settings: the API keys, the issuer's tokens, or both. A ConfigError
 * when neither is set, or an OIDC setting is missing.
 */
export function credentialGuardOptions(config: CredentialConfig): CredentialGuardOptions {
  const tokens = bearerTokenOptions(config);
  if (!config.SERVICE_API_KEYS && !tokens) throw new ConfigError([NO_CREDENTIAL_PROBLEM]);
  return { keys: config.SERVICE_API_KEYS ?? [], tokens, failuresPerMinute: config.API_KEY_FAILURES_PER_MINUTE };
}
