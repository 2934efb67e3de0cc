import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { optionalSetting } from './optional-setting';

/** `read` may call GET, HEAD and OPTIONS; `write` may call every method. */
export type ApiKeyScope = 'read' | 'write';

/** One caller's key as a service holds it: never the key itself, only its SHA-256. */
export interface ApiKeyEntry {
  /** Who holds the key (`reconciliation`, `operator`, ...): named in logs and in 403 answers. */
  caller: string;
  scope: ApiKeyScope;
  /** SHA-256 of the key, 32 bytes. */
  hash: Buffer;
}

/** SHA-256 of a key, as hex: what `SERVICE_API_KEYS` holds (`printf %s KEY | sha256sum`). */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** An entry for a key known in plain text (a service's single key, a test's key). */
export function plainApiKey(caller: string, scope: ApiKeyScope, key: string): ApiKeyEntry {
  return { caller, scope, hash: Buffer.from(apiKeyHash(key), 'hex') };
}

/** `caller:scope:sha256hex` for a key known in plain text: one item of `SERVICE_API_KEYS`. */
export function apiKeySettingItem(caller: string, scope: ApiKeyScope, key: string): string {
  return `${caller}:${scope}:${apiKeyHash(key)}`;
}

const ITEM = /^([A-Za-z0-9_.-]+):(read|write):([0-9a-fA-F]{64})$/;

/**
 * Parses `caller:scope:sha256hex,...`. A caller may appear several times: each of its keys is
 * valid, which is how a key is rotated (add the new one, move the caller over, remove the old one).
 * Throws naming the item that is malformed (only its position: it may hold a key pasted by mistake).
 */
export function parseApiKeys(setting: string): ApiKeyEntry[] {
  const items = setting
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new Error('holds no key: give at least one caller:scope:sha256');
  return items.map((item, index) => {
    const match = ITEM.exec(item);
    if (!match) throw new Error(`item ${index + 1} is not caller:read|write:<sha256 of the key as 64 hex digits>`);
    return { caller: match[1] as string, scope: match[2] as ApiKeyScope, hash: Buffer.from(match[3] as string, 'hex') };
  });
}

/** The caller whose key this is, comparing against every entry in constant time; null when none. */
export function findApiKey(entries: readonly ApiKeyEntry[], given: string): ApiKeyEntry | null {
  const hash = createHash('sha256').update(given, 'utf8').digest();
  let found: ApiKeyEntry | null = null;
  for (const entry of entries) if (timingSafeEqual(hash, entry.hash) && found === null) found = entry;
  return found;
}

/** May a key of this scope make a request with this method? */
export function scopeAllows(scope: ApiKeyScope, method: string): boolean {
  return scope === 'write' || ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/**
 * The settings of a service whose REST needs API keys; a service's config schema spreads them in.
 * Validated at start-up like every setting: a malformed item is named by position.
 */
export const apiKeySettings = {
  /**
   * Who may call the REST API: `caller:scope:sha256hex,...`, scope `read` (GET) or `write` (every
   * method), the key's SHA-256 in hex, never the key. Required unless the service accepts tokens of
   * an OIDC issuer instead (credentialGuardOptions checks that one of the two is set): `npm start`
   * generates keys.
   */
  SERVICE_API_KEYS: optionalSetting(
    z.string().transform((value, context) => {
      try {
        return parseApiKeys(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  ),
  /** Refused key attempts one client address may make per minute before it is answered 429 for the rest of that minute. */
  API_KEY_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(30),
};
