import type { z } from 'zod';
import { apiKeySettings } from './api-keys';
import { bearerTokenOptions, bearerTokenSettings } from './bearer-tokens';
import type { CredentialGuardOptions } from './credential-guard';

/**
 * What a service whose REST needs credentials spreads into its config schema: API keys
 * (SERVICE_API_KEYS, required) and, optionally, JWTs of an OIDC issuer (OIDC_*).
 */
export const credentialSettings = { ...apiKeySettings, ...bearerTokenSettings };

/** The validated credential settings (`credentialSettings` after loadConfig); the OIDC ones may be absent. */
export type CredentialConfig = { SERVICE_API_KEYS: z.infer<(typeof apiKeySettings)['SERVICE_API_KEYS']> } & Partial<{
  [K in Exclude<keyof typeof credentialSettings, 'SERVICE_API_KEYS'>]: z.infer<(typeof credentialSettings)[K]>;
}>;

/** The guard's options from the settings; a ConfigError naming a missing OIDC setting. */
export function credentialGuardOptions(config: CredentialConfig): CredentialGuardOptions {
  return { keys: config.SERVICE_API_KEYS, tokens: bearerTokenOptions(config), failuresPerMinute: config.API_KEY_FAILURES_PER_MINUTE };
}
