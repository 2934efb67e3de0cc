import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createLogger, JsonLogger } from './logger';
import { problemValidationPipe } from './problem-details';

export interface BootstrapOptions {
  service: string;
  port: number;
  /** One-line description shown in the OpenAPI document. */
  description: string;
  /** The event transport to run beside HTTP (the provider token of a CustomTransportStrategy). */
  eventTransport?: Type<CustomTransportStrategy>;
}

/**
 * Starts a service the same way everywhere: JSON logs, validation pipe, OpenAPI at /docs,
 * the event transport, and graceful shutdown on SIGTERM/SIGINT.
 */
export async function bootstrapService(module: Type<unknown> | DynamicModule, options: BootstrapOptions): Promise<INestApplication> {
  const logger = createLogger(options.service);
  try {
    const app = await NestFactory.create(module, { logger: new JsonLogger(logger), bufferLogs: true });
    app.useGlobalPipes(problemValidationPipe());
    app.enableShutdownHooks();
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(options.service).setDescription(options.description).setVersion('1').build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
    if (options.eventTransport) {
      app.connectMicroservice({ strategy: app.get(options.eventTransport) }, { inheritAppConfig: true });
      await app.startAllMicroservices();
    }
    await app.listen(options.port, '0.0.0.0');
    logger.info({ port: options.port }, `${options.service} listening on http://127.0.0.1:${options.port} (OpenAPI at /docs)`);
    return app;
  } catch (error) {
    logger.fatal({ err: error }, `${options.service} failed to start: ${(error as Error).message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.exit(1);
  }
}
