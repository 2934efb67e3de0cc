import { randomBytes } from 'node:crypto';
import { probeZipkin, ZIPKIN_SPANS_ENDPOINT, ZIPKIN_URL } from '@commerce/provisioning';

/** A span as Zipkin's API v2 returns it (names lower-cased by Zipkin). */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  name: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** The environment that makes an app trace to the local Zipkin, flushing spans quickly for a test. */
export function zipkinTracingEnv(): Record<string, string> {
  return { OTEL_EXPORTER_ZIPKIN_ENDPOINT: ZIPKIN_SPANS_ENDPOINT, OTEL_BSP_SCHEDULE_DELAY: '200' };
}

/** Fails with what to do when `infra up` did not start Zipkin. */
export async function assertZipkinAnswers(): Promise<void> {
  if (!(await probeZipkin())) throw new Error(`Zipkin does not answer at ${ZIPKIN_URL}: run "npm run infra:up" (with ZIPKIN not "off")`);
}

/** A fresh W3C `traceparent` (sampled), so a test knows the trace id its request starts. */
export function newTraceparent(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

/** The spans Zipkin holds for a trace ([] while it has none). */
export async function zipkinTrace(traceId: string): Promise<ZipkinSpan[]> {
  const response = await fetch(`${ZIPKIN_URL}/api/v2/trace/${traceId}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`Zipkin answered ${response.status} for trace ${traceId}`);
  return (await response.json()) as ZipkinSpan[];
}
