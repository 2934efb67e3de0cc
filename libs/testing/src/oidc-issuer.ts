import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** What a token of the test issuer says; every field can be overridden to make a bad one. */
export interface TestTokenClaims {
  /** @defaultValue 'test-client' */
  sub?: string;
  /** Space-separated scopes. @defaultValue 'commerce.read commerce.write' */
  scope?: string;
  /** @defaultValue the issuer's own URL */
  issuer?: string;
  /** @defaultValue the audience the issuer was started with */
  audience?: string;
  /** Seconds from now (negative: already expired). @defaultValue 300 */
  expiresIn?: number;
}

/**
 * A real OIDC issuer for tests, on a free local port: discovery at `/.well-known/openid-configuration`,
 * its JWKS at `/jwks`, tokens signed with its own keys. `rotate` makes a new signing key and
 * publishes it; `sign` then uses it. `jwksFetches` counts how often a service read the key set.
 */
export interface TestOidcIssuer {
  url: string;
  audience: string;
  jwksUrl: string;
  jwksFetches: number;
  sign(claims?: TestTokenClaims): Promise<string>;
  /** A token signed by a key the issuer never published (a forgery). */
  signWithUnpublishedKey(claims?: TestTokenClaims): Promise<string>;
  /** A new signing key, published beside the old ones; later tokens carry its key id. */
  rotate(): Promise<void>;
  stop(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startTestOidcIssuer(audience = 'commerce-api'): Promise<TestOidcIssuer> {
  const published: SigningKey[] = [await newKey()];
  const issuer: TestOidcIssuer = {
    url: '',
    audience,
    jwksUrl: '',
    jwksFetches: 0,
    sign: (claims) => sign(published[published.length - 1] as SigningKey, claims),
    signWithUnpublishedKey: async (claims) => sign(await newKey(), claims),
    async rotate() {
      published.push(await newKey());
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
  const sign = (key: SigningKey, claims: TestTokenClaims = {}) =>
    new SignJWT({ scope: claims.scope ?? 'commerce.read commerce.write' })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setSubject(claims.sub ?? 'test-client')
      .setIssuer(claims.issuer ?? issuer.url)
      .setAudience(claims.audience ?? audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresIn ?? 300))
      .sign(key.privateKey);

  const server: Server = createServer((request, response) => {
    const answer = (body: unknown) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.url === '/.well-known/openid-configuration') return answer({ issuer: issuer.url, jwks_uri: issuer.jwksUrl, id_token_signing_alg_values_supported: ['RS256'] });
    if (request.url === '/jwks') {
      issuer.jwksFetches += 1;
      return answer({ keys: published.map((key) => key.jwk) });
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  issuer.url = `http://127.0.0.1:${port}`;
  issuer.jwksUrl = `${issuer.url}/jwks`;
  return issuer;
}
