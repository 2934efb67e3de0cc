// Starts OpenTelemetry tracing, configured by the standard OTEL_* variables, when any exporter is
// configured; otherwise it loads nothing and every tracing call stays a no-op. It must run before
// express, pg, ioredis and Nest are first required, so each app's main.ts imports it first:
//   import '@commerce/platform/tracing';
import path from 'node:path';
import { markTracingStarted, onTracingShutdown } from './trace-context';

const env = process.env;

/** Tracing is on when an exporter is named or given an endpoint, and OTEL_SDK_DISABLED is not true. */
export function tracingConfigured(vars: NodeJS.ProcessEnv = env): boolean {
  if (vars['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporter = vars['OTEL_TRACES_EXPORTER']?.trim();
  if (exporter) return exporter !== 'none';
  return Boolean(vars['OTEL_EXPORTER_ZIPKIN_ENDPOINT'] || vars['OTEL_EXPORTER_OTLP_ENDPOINT'] || vars['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

/** `apps/order-service/src/main.ts` → `order-service` (when OTEL_SERVICE_NAME is not set). */
function appName(): string | undefined {
  const parts = (process.argv[1] ?? '').split(path.sep);
  const at = parts.lastIndexOf('apps');
  return at >= 0 ? parts[at + 1] : undefined;
}

function start(): void {
  // Only a Zipkin endpoint given: the Zipkin exporter (the SDK's default would be OTLP).
  if (!env['OTEL_TRACES_EXPORTER'] && env['OTEL_EXPORTER_ZIPKIN_ENDPOINT']) env['OTEL_TRACES_EXPORTER'] = 'zipkin';
  // Metrics are prom-client's on /metrics and logs are pino's: the SDK exports traces only.
  env['OTEL_METRICS_EXPORTER'] ??= 'none';
  env['OTEL_LOGS_EXPORTER'] ??= 'none';
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { NestInstrumentation } = require('@opentelemetry/instrumentation-nestjs-core') as typeof import('@opentelemetry/instrumentation-nestjs-core');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const quiet = new Set(['/health', '/metrics']);
  const sdk = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME'] ?? appName(),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds would bury the traces people look for.
        ignoreIncomingRequestHook: (request) => quiet.has((request.url ?? '').split('?')[0] ?? ''),
        requireParentforOutgoingSpans: true,
      }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      // The relay's polling and BullMQ's housekeeping run outside any request: no trace of their own.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  markTracingStarted();
  onTracingShutdown(() => sdk.shutdown());
}

if (tracingConfigured()) start();
