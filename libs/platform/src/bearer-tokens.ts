import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { z } from 'zod';
import type { ApiKeyScope } from './api-keys';
import { ConfigError } from './config-error';
import { optionalSetting } from './optional-setting';

/**
 * JWTs from an OIDC issuer, accepted beside the API keys by the same guard. All optional: without
 * OIDC_ISSUER the services take API keys only. `bearerTokenOptions` checks they fit together at start-up.
 */
export const bearerTokenSettings = {
  /** The issuer (`iss`) of the tokens the services accept, e.g. `https://login.example.com/realms/shop`. Unset: no JWTs. */
  OIDC_ISSUER: optionalSetting(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  /** The audience (`aud`) a token must name: this API's identifier at the issuer. Required with OIDC_ISSUER. */
  OIDC_AUDIENCE: optionalSetting(z.string().min(1)),
  /** Where the issuer's signing keys are; unset, read from `<OIDC_ISSUER>/.well-known/openid-configuration` (`jwks_uri`). */
  OIDC_JWKS_URL: optionalSetting(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  /** The claim holding the token's scopes: a space-separated string (`scope`) or an array (`scp`). @defaultValue scope */
  OIDC_SCOPE_CLAIM: z.string().min(1).default('scope'),
  /** The scope that allows GET, HEAD and OPTIONS. @defaultValue commerce.read */
  OIDC_READ_SCOPE: z.string().min(1).default('commerce.read'),
  /** The scope that allows every method (and reads). @defaultValue commerce.write */
  OIDC_WRITE_SCOPE: z.string().min(1).default('commerce.write'),
  /**
   * Least time between two fetches of the JWKS when a token names a key id not in the cached set
   * (a rotated key): bounds what forged key ids can make the service fetch. @defaultValue 30
   */
  OIDC_JWKS_COOLDOWN_SECONDS: z.coerce.number().int().nonnegative().default(30),
};

type BearerTokenSettings = { [K in keyof typeof bearerTokenSettings]: z.infer<(typeof bearerTokenSettings)[K]> };

/** What the guard needs to verify tokens. */
export interface BearerTokenOptions {
  issuer: string;
  audience: string;
  /** Unset: discovered from the issuer. */
  jwksUrl?: string;
  scopeClaim: string;
  readScope: string;
  writeScope: string;
  /** @defaultValue 30 */
  jwksCooldownSeconds?: number;
}

/** The token options from the settings; null without OIDC_ISSUER; a ConfigError naming what is missing. */
export function bearerTokenOptions(config: Partial<BearerTokenSettings>): BearerTokenOptions | null {
  if (!config.OIDC_ISSUER) {
    const stray = (['OIDC_AUDIENCE', 'OIDC_JWKS_URL'] as const).filter((name) => config[name]);
    if (stray.length > 0) throw new ConfigError(stray.map((name) => `OIDC_ISSUER is missing: ${name} is set, but tokens are accepted only from a named issuer`));
    return null;
  }
  if (!config.OIDC_AUDIENCE) throw new ConfigError([`OIDC_AUDIENCE is missing: OIDC_ISSUER is set, and a token is accepted only for a named audience (this API at the issuer)`]);
  return {
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    ...(config.OIDC_JWKS_URL ? { jwksUrl: config.OIDC_JWKS_URL } : {}),
    scopeClaim: config.OIDC_SCOPE_CLAIM ?? 'scope',
    readScope: config.OIDC_READ_SCOPE ?? 'commerce.read',
    writeScope: config.OIDC_WRITE_SCOPE ?? 'commerce.write',
    jwksCooldownSeconds: config.OIDC_JWKS_COOLDOWN_SECONDS ?? 30,
  };
}

/** Why a token was refused: the reason in the 401 answer and the metric's label. */
export type TokenRefusal = 'expired' | 'audience' | 'issuer' | 'signature' | 'malformed' | 'issuer-unreachable';

/** A token that was not accepted, and why. */
export class TokenRefusedError extends Error {
  constructor(
    readonly reason: TokenRefusal,
    detail: string,
  ) {
    super(detail);
  }
}

/** Whoever a verified token speaks for, and what it may do (null: neither scope). */
export interface TokenCaller {
  caller: string;
  scope: ApiKeyScope | null;
}

/** The scopes a claim holds: `"a b c"` or `["a", "b"]`. */
export function tokenScopes(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((item): item is string => typeof item === 'string');
  return [];
}

/** The read/write scope the token's scopes give; write includes read. */
export function scopeOfToken(payload: JWTPayload, options: Pick<BearerTokenOptions, 'scopeClaim' | 'readScope' | 'writeScope'>): ApiKeyScope | null {
  const scopes = tokenScopes(payload[options.scopeClaim]);
  if (scopes.includes(options.writeScope)) return 'write';
  if (scopes.includes(options.readScope)) return 'read';
  return null;
}

/**
 * Verifies Bearer tokens against the issuer's JWKS: fetched once (discovered when no URL is set),
 * cached, and fetched again when a token names a key id the cache lacks (the issuer rotated its key).
 */
export class BearerTokenVerifier {
  private keys: Promise<ReturnType<typeof createRemoteJWKSet>> | null = null;

  constructor(private readonly options: BearerTokenOptions) {}

  async verify(token: string): Promise<TokenCaller> {
    const keys = await this.keySet();
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: this.options.issuer, audience: this.options.audience });
      const caller = [payload['azp'], payload['client_id'], payload.sub].find((value): value is string => typeof value === 'string') ?? 'unnamed';
      return { caller, scope: scopeOfToken(payload, this.options) };
    } catch (error) {
      throw refusalOf(error);
    }
  }

  /** The remote key set, made once; discovery is retried on the next token when it failed. */
  private keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.keys ??= this.jwksUrl().then((url) =>
      createRemoteJWKSet(new URL(url), { cooldownDuration: (this.options.jwksCooldownSeconds ?? 30) * 1000 }),
    );
    return this.keys.catch((error: unknown) => {
      this.keys = null;
      throw new TokenRefusedError('issuer-unreachable', `the issuer's keys could not be read: ${(error as Error).message}`);
    });
  }

  private async jwksUrl(): Promise<string> {
    if (this.options.jwksUrl) return this.options.jwksUrl;
    const discovery = `${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const answer = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
    if (!answer.ok) throw new Error(`${discovery} answered ${answer.status}`);
    const document = (await answer.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OIDC Discovery: the document must name the issuer it was fetched for.
    if (document.issuer !== this.options.issuer) throw new Error(`${discovery} names issuer ${String(document.issuer)}, not ${this.options.issuer}`);
    if (typeof document.jwks_uri !== 'string') throw new Error(`${discovery} has no jwks_uri`);
    return document.jwks_uri;
  }
}

/** The refusal a jose error stands for. */
function refusalOf(error: unknown): TokenRefusedError {
  if (error instanceof TokenRefusedError) return error;
  if (error instanceof errors.JWTExpired) return new TokenRefusedError('expired', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new TokenRefusedError('audience', 'the token is not for this API (wrong audience)');
    if (error.claim === 'iss') return new TokenRefusedError('issuer', 'the token is from another issuer');
    return new TokenRefusedError('malformed', `the token's "${error.claim}" claim is not acceptable (${error.reason})`);
  }
  if (error instanceof errors.JWKSNoMatchingKey) return new TokenRefusedError('signature', 'no key of the issuer matches the token (unknown key id)');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenRefusedError('signature', 'the token\'s signature does not verify');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return new TokenRefusedError('issuer-unreachable', `the issuer's keys could not be read: ${error.message}`);
  if (error instanceof errors.JOSEError) return new TokenRefusedError('malformed', `the token is not a valid JWT (${error.code})`);
  return new TokenRefusedError('issuer-unreachable', `the issuer's keys could not be read: ${(error as Error).message}`);
}
