import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * Trace propagation where automatic instrumentation cannot follow: through the outbox table, the
 * relay's batches, Kafka and the reconciliation service's BullMQ jobs. The carrier is the W3C
 * `traceparent`/`tracestate` pair, kept beside the event's own headers.
 *
 * Without an SDK (no OTEL_* exporter configured) every function here is a pass-through: no span,
 * no context switch, no header.
 */

const tracer = trace.getTracer('@commerce/platform');
let started = false;

/** Called once by the SDK start-up (`@commerce/platform/tracing`); nothing else turns tracing on. */
export function markTracingStarted(): void {
  started = true;
}

export function tracingEnabled(): boolean {
  return started;
}

/** The active span's context as `traceparent` (and `tracestate`), to store with an outbox row. */
export function currentTraceHeaders(): Record<string, string> {
  if (!started || !trace.getActiveSpan()) return {};
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The trace id of the active span, for log lines and links to the trace backend. */
export function currentTraceId(): string | undefined {
  if (!started) return undefined;
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}

async function inSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    throw error;
  } finally {
    span.end();
  }
}

export interface ConsumedEvent {
  topic: string;
  partition: number;
  eventType?: string;
  eventId?: string;
  orderId?: string;
}

/**
 * Runs a consumed event's handling in a CONSUMER span that continues the trace carried in the
 * message's headers (a new trace when they carry none).
 */
export function withConsumedEventSpan<T>(headers: Record<string, string>, event: ConsumedEvent, work: () => Promise<T>): Promise<T> {
  if (!started) return work();
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(
    `process ${event.eventType ?? event.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': event.topic,
        'messaging.destination.partition.id': String(event.partition),
        ...(event.eventId ? { 'messaging.message.id': event.eventId } : {}),
        ...(event.eventType ? { 'event.type': event.eventType } : {}),
        ...(event.orderId ? { 'order.id': event.orderId } : {}),
      },
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), () => inSpan(span, work));
}

/** What the relay publishes: the row's topic and the headers stored with it (read, and replaced). */
export interface PublishedMessage {
  topic: string;
  headers: Record<string, string>;
}

/**
 * The relay's publish of one batch: each message that carries a trace gets a PRODUCER span, child
 * of the span that stored it, and its `traceparent` is replaced by that span's, so the consumer's
 * span hangs below the publish. The spans last as long as `send`.
 */
export async function withPublishSpans<M extends PublishedMessage, T>(messages: M[], send: (messages: M[]) => Promise<T>): Promise<T> {
  if (!started) return send(messages);
  const spans: Span[] = [];
  const traced = messages.map((message) => {
    if (!message.headers['traceparent']) return message;
    const parent = propagation.extract(ROOT_CONTEXT, message.headers);
    const span = tracer.startSpan(
      `publish ${message.headers['event-type'] ?? message.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'publish',
          'messaging.destination.name': message.topic,
          'messaging.batch.message_count': messages.length,
        },
      },
      parent,
    );
    spans.push(span);
    const headers = { ...message.headers };
    propagation.inject(trace.setSpan(parent, span), headers);
    return { ...message, headers };
  });
  try {
    return await send(traced);
  } catch (error) {
    for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * A background job's span: it continues the trace whose headers the job carries (as a repair
 * continues the run that decided it), else it starts one.
 */
export function withJobSpan<T>(queue: string, carried: Record<string, string> | undefined, attributes: Record<string, string>, work: () => Promise<T>): Promise<T> {
  if (!started) return work();
  const parent = carried ? propagation.extract(ROOT_CONTEXT, carried) : ROOT_CONTEXT;
  const span = tracer.startSpan(`job ${queue}`, { kind: SpanKind.CONSUMER, attributes: { 'job.queue': queue, ...attributes } }, parent);
  return context.with(trace.setSpan(parent, span), () => inSpan(span, work));
}

let shutdown: () => Promise<void> = async () => undefined;

/** The SDK's flush-and-stop, registered by the start-up. */
export function onTracingShutdown(stop: () => Promise<void>): void {
  shutdown = stop;
}

/** Sends the spans still buffered (at application shutdown). */
export function shutdownTracing(): Promise<void> {
  return shutdown().catch(() => undefined);
}
