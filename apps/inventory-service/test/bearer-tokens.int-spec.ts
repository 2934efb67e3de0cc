import { type ServiceUnderTest, startServiceUnderTest, startTestOidcIssuer, type TestOidcIssuer, uniqueName } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { inventoryService } from '../src/service';

jest.setTimeout(120_000);

/** A test issuer, and the inventory service taking its tokens with the further settings of `env`. */
async function inventoryWithIssuer(env: Record<string, string>): Promise<{ issuer: TestOidcIssuer; inventory: ServiceUnderTest }> {
  const issuer = await startTestOidcIssuer('inventory-api');
  try {
    const inventory = await startServiceUnderTest({
      ...inventoryService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      env: { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience, ...env },
    });
    return { issuer, inventory };
  } catch (error) {
    await issuer.stop();
    throw error;
  }
}

describe('the inventory service accepts JWTs of its OIDC issuer beside its API keys', () => {
  let issuer: TestOidcIssuer;
  let inventory: ServiceUnderTest;
  const bearer = (token: string) => ({ apiKey: null, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    // No JWKS URL: the service discovers it. No cooldown: the rotation test need not wait 30 s.
    ({ issuer, inventory } = await inventoryWithIssuer({ OIDC_JWKS_COOLDOWN_SECONDS: '0' }));
  });

  afterAll(async () => {
    await inventory?.close();
    await issuer?.stop();
  });

  it('lets a write token write and a read token read', async () => {
    const sku = uniqueName('SKU');
    const written = await inventory.http('PUT', `/stock/${sku}/wh-berlin`, { body: { onHand: 4 }, ...bearer(await issuer.sign({ scope: 'commerce.write' })) });
    expect(written.status).toBe(200);
    const read = await inventory.http('GET', `/stock/${sku}`, bearer(await issuer.sign({ scope: 'openid commerce.read' })));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ sku, onHand: 4 });
  });

  it('answers 403 naming the caller when a read token asks to write, and the stock stays as it was', async () => {
    const sku = uniqueName('SKU');
    expect((await inventory.http('PUT', `/stock/${sku}/wh-berlin`, { body: { onHand: 2 } })).status).toBe(200);
    const refused = await inventory.http('PUT', `/stock/${sku}/wh-berlin`, { body: { onHand: 0 }, ...bearer(await issuer.sign({ sub: 'stock-viewer', scope: 'commerce.read' })) });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 403, caller: 'stock-viewer', detail: expect.stringMatching(/read token: PUT needs a write token/) });
    expect((await inventory.http('GET', `/stock/${sku}`)).body).toMatchObject({ onHand: 2 });
    const noScope = await inventory.http('GET', `/stock/${sku}`, bearer(await issuer.sign({ scope: 'openid profile' })));
    expect(noScope.status).toBe(403);
    expect(noScope.body.detail).toMatch(/grants neither the read nor the write scope/);
  });

  it.each([
    ['an expired token', { expiresIn: -60 }, 'expired', /has expired/],
    ['a token for another audience', { audience: 'payments-api' }, 'audience', /wrong audience/],
    ['a token of another issuer', { issuer: 'https://login.elsewhere.example' }, 'issuer', /another issuer/],
  ])('answers 401 problem details to %s, saying why', async (_case, claims, reason, detail) => {
    const answer = await inventory.http('GET', '/stock/SKU-ANY', bearer(await issuer.sign(claims)));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 401, type: expect.stringMatching(/bearer-token-rejected$/), reason, detail: expect.stringMatching(detail) });
  });

  it('answers 401 to a token whose signature does not verify, or signed by a key the issuer never published', async () => {
    const [header, payload] = (await issuer.sign()).split('.');
    const [, , otherSignature] = (await issuer.sign({ sub: 'someone-else' })).split('.');
    const tampered = await inventory.http('GET', '/stock/SKU-ANY', bearer(`${header}.${payload}.${otherSignature}`));
    expect(tampered.status).toBe(401);
    expect(tampered.body).toMatchObject({ reason: 'signature', detail: expect.stringMatching(/signature does not verify/) });
    const forged = await inventory.http('GET', '/stock/SKU-ANY', bearer(await issuer.signWithUnpublishedKey()));
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ reason: 'signature', detail: expect.stringMatching(/unknown key id/) });
  });

  it('answers 401 naming both credentials when neither is sent', async () => {
    const answer = await inventory.http('GET', '/stock/SKU-ANY', { apiKey: null });
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/X-Api-Key header or a token in the Authorization header/);
  });

  it('accepts a token of a key the issuer rotated to, fetching the key set again once', async () => {
    expect((await inventory.http('GET', '/stock/SKU-ANY', bearer(await issuer.sign()))).status).toBe(404);
    const fetchesBefore = issuer.jwksFetches;
    await issuer.rotate();
    const rotated = await inventory.http('GET', '/stock/SKU-ANY', bearer(await issuer.sign()));
    expect(rotated.status).toBe(404); // past the guard: the SKU is simply unknown
    expect(issuer.jwksFetches).toBe(fetchesBefore + 1);
    // Cached from now on: another token of the new key needs no fetch.
    expect((await inventory.http('GET', '/stock/SKU-ANY', bearer(await issuer.sign()))).status).toBe(404);
    expect(issuer.jwksFetches).toBe(fetchesBefore + 1);
  });

  it('still takes API keys', async () => {
    expect((await inventory.http('GET', '/stock/SKU-ANY', { apiKey: inventory.apiKeys.read })).status).toBe(404);
  });

  it('declares both schemes in OpenAPI, either one sufficing', async () => {
    const document = (await inventory.http('GET', '/docs-json', { apiKey: null })).body;
    expect(document.components.securitySchemes).toEqual({
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    });
    expect(document.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
  });
});

describe('the inventory service with an OIDC issuer and no API keys', () => {
  let issuer: TestOidcIssuer;
  let inventory: ServiceUnderTest;

  beforeAll(async () => {
    ({ issuer, inventory } = await inventoryWithIssuer({ SERVICE_API_KEYS: '' }));
  });

  afterAll(async () => {
    await inventory?.close();
    await issuer?.stop();
  });

  it('starts, takes tokens, refuses every key, and declares only the Bearer scheme', async () => {
    const read = await inventory.http('GET', '/stock/SKU-ANY', { apiKey: null, headers: { authorization: `Bearer ${await issuer.sign({ scope: 'commerce.read' })}` } });
    expect(read.status).toBe(404); // past the guard: the SKU is simply unknown
    expect((await inventory.http('GET', '/stock/SKU-ANY', { apiKey: inventory.apiKeys.write })).status).toBe(401);
    const document = (await inventory.http('GET', '/docs-json', { apiKey: null })).body;
    expect(document.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    expect(document.security).toEqual([{ bearer: [] }]);
  });
});

describe('OIDC settings at start-up', () => {
  it('refuses to start with neither API keys nor an issuer, naming both settings', async () => {
    const start = startServiceUnderTest({ ...inventoryService, configSchema, appModule: (config) => AppModule.forRoot(config), env: { SERVICE_API_KEYS: '' } });
    await expect(start).rejects.toThrow(/SERVICE_API_KEYS is missing: .*OIDC_ISSUER/);
  });

  it('refuses to start with an issuer but no audience, naming the setting', async () => {
    const start = startServiceUnderTest({ ...inventoryService, configSchema, appModule: (config) => AppModule.forRoot(config), env: { OIDC_ISSUER: 'https://login.example.com' } });
    await expect(start).rejects.toThrow(/OIDC_AUDIENCE is missing/);
  });

  it('refuses an issuer that is not an http(s) URL, naming the setting', async () => {
    const start = startServiceUnderTest({ ...inventoryService, configSchema, appModule: (config) => AppModule.forRoot(config), env: { OIDC_ISSUER: 'login.example.com', OIDC_AUDIENCE: 'x' } });
    await expect(start).rejects.toThrow(/OIDC_ISSUER is invalid/);
  });
});
