import 'reflect-metadata';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { plainApiKey } from './api-keys';
import { configureServiceApp } from './bootstrap';
import { ACCEPTED_CREDENTIALS, type CredentialGuardOptions } from './credential-guard';
import { PlatformModule } from './platform.module';

@Controller('things')
class ThingsController {
  @Get()
  list() {
    return [];
  }
}

const keys = [plainApiKey('operator', 'write', 'a-key-of-the-operator')];
const tokens = { issuer: 'https://login.example.com/realms/shop', audience: 'commerce-api', scopeClaim: 'scope', readScope: 'commerce.read', writeScope: 'commerce.write' };

/** The OpenAPI document a service guarded with these credentials (none: a guard of its own) serves at /docs-json. */
async function openApiOf(credentials: CredentialGuardOptions | undefined) {
  const moduleRef = await Test.createTestingModule({ imports: [PlatformModule.forRoot({ credentials })], controllers: [ThingsController] }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  try {
    await configureServiceApp(app, { service: 'example-service', description: 'test', requireApiKey: true });
    await app.listen(0, '127.0.0.1');
    const answer = await fetch(`${await app.getUrl()}/docs-json`);
    return (await answer.json()) as { components: { securitySchemes?: Record<string, unknown> }; security?: unknown[]; paths: Record<string, Record<string, { security?: unknown[] }>> };
  } finally {
    await app.close();
  }
}

const apiKeyScheme = { type: 'apiKey', in: 'header', name: 'x-api-key' };
const bearerScheme = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };

describe('the OpenAPI document declares the credentials the guard accepts', () => {
  it('API keys and Bearer JWTs, either one sufficing, when an issuer is set beside the keys', async () => {
    const document = await openApiOf({ keys, tokens });
    expect(document.components.securitySchemes).toEqual({ apiKey: apiKeyScheme, bearer: bearerScheme });
    expect(document.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
    // The probes stay open to anyone: their own empty requirement overrides the document's.
    expect(document.paths['/health/live']?.['get']?.security).toEqual([{}]);
  });

  it('the API key alone without an issuer', async () => {
    const document = await openApiOf({ keys, tokens: null });
    expect(document.components.securitySchemes).toEqual({ apiKey: apiKeyScheme });
    expect(document.security).toEqual([{ apiKey: [] }]);
  });

  it('the API key for an app with a guard of its own (the reconciliation service)', async () => {
    const document = await openApiOf(undefined);
    expect(document.components.securitySchemes).toEqual({ apiKey: apiKeyScheme });
    expect(document.security).toEqual([{ apiKey: [] }]);
  });

  it('finds what PlatformModule accepts in every app: a miss would end a process of NestFactory.create at start-up', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [PlatformModule.forRoot()] }).compile();
    expect(moduleRef.get(ACCEPTED_CREDENTIALS, { strict: false })).toBeNull();
  });

  it('Bearer JWTs alone for an issuer without keys', async () => {
    const document = await openApiOf({ keys: [], tokens });
    expect(document.components.securitySchemes).toEqual({ bearer: bearerScheme });
    expect(document.security).toEqual([{ bearer: [] }]);
  });
});
