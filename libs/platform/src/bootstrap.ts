import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ACCEPTED_CREDENTIALS, API_KEY_HEADER, API_KEY_SCHEME, BEARER_SCHEME } from './credential-guard';
import { createLogger, JsonLogger } from './logger';
import { answerUnparsableRequests } from './http-edge-errors';
import { PROBLEM_BASE, problemValidationPipe } from './problem-details';

/** What a service is, independent of where it listens: what both start-up and the integration tests need. */
export interface ServiceAppOptions {
  service: string;
  /** One-line description shown in the OpenAPI document. */
  description: string;
  /** The event transport to run beside HTTP (the provider token of a CustomTransportStrategy). */
  eventTransport?: Type<CustomTransportStrategy>;
  /**
   * The app puts `credentialGuard` in front of its routes: OpenAPI then declares, on every operation
   * not marked `@OpenToAnyone()`, the schemes it accepts, either one sufficing: `X-Api-Key`, and
   * `Authorization: Bearer` where PlatformModule's guard takes tokens of an issuer (an app with a
   * guard of its own, PlatformModule having no credentials: the key alone). Needs PlatformModule.
   * @defaultValue false
   */
  requireApiKey?: boolean;
}

export interface BootstrapOptions extends ServiceAppOptions {
  port: number;
  /** The address HTTP binds to (`HOST`): `0.0.0.0` to be reached from other machines. @defaultValue '127.0.0.1' */
  host?: string;
}

/**
 * The global setup every service app gets, whoever created it (bootstrapService, or a test with
 * Test.createTestingModule): validation pipe, graceful shutdown hooks, OpenAPI at /docs, and the
 * event transport started beside HTTP. The caller then listens.
 */
export async function configureServiceApp(app: INestApplication, options: ServiceAppOptions): Promise<void> {
  app.useGlobalPipes(problemValidationPipe());
  app.enableShutdownHooks();
  // No client revalidates with If-None-Match, and Express would hash every response body to make an
  // ETag: a /milestones range page is half a megabyte, a full scan reads thousands of them.
  app.getHttpAdapter().getInstance().set('etag', false);
  answerUnparsableRequests(app.getHttpServer(), PROBLEM_BASE);
  const builder = new DocumentBuilder().setTitle(options.service).setDescription(options.description).setVersion('1');
  if (options.requireApiKey) {
    const schemes = acceptedCredentials(app);
    if (schemes.includes(API_KEY_SCHEME)) builder.addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER }, API_KEY_SCHEME);
    if (schemes.includes(BEARER_SCHEME)) builder.addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME);
    // One requirement per scheme: OpenAPI reads the list as "any one of these".
    for (const scheme of schemes) builder.addSecurityRequirements(scheme);
  }
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  if (options.eventTransport) {
    app.connectMicroservice({ strategy: app.get(options.eventTransport) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
}

/**
 * The schemes PlatformModule's guard accepts; the API key alone for an app that put its own guard in
 * front (PlatformModule provides null then). Every app that requires a credential imports PlatformModule.
 */
function acceptedCredentials(app: INestApplication): string[] {
  return app.get<string[] | null>(ACCEPTED_CREDENTIALS, { strict: false }) ?? [API_KEY_SCHEME];
}

/**
 * Starts a service the same way everywhere: JSON logs, the setup of `configureServiceApp`, and
 * graceful shutdown on SIGTERM/SIGINT.
 */
export async function bootstrapService(module: Type<unknown> | DynamicModule, options: BootstrapOptions): Promise<INestApplication> {
  const logger = createLogger(options.service);
  try {
    const app = await NestFactory.create(module, { logger: new JsonLogger(logger), bufferLogs: true });
    await configureServiceApp(app, options);
    const host = options.host ?? '127.0.0.1';
    await app.listen(options.port, host);
    logger.info({ host, port: options.port }, `${options.service} listening on http://${host}:${options.port} (OpenAPI at /docs)`);
    return app;
  } catch (error) {
    logger.fatal({ err: error }, `${options.service} failed to start: ${(error as Error).message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.exit(1);
  }
}
