import { trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { currentTraceHeaders, markTracingStarted, withConsumedEventSpan, withJobSpan, withPublishSpans } from './trace-context';

const parentOf = (span: { parentSpanContext?: { spanId: string } }) => span.parentSpanContext?.spanId;

describe('trace propagation through the outbox, Kafka and jobs', () => {
  describe('when tracing is not started', () => {
    it('stores no trace headers and runs the work as it is', async () => {
      expect(currentTraceHeaders()).toEqual({});
      const messages = [{ topic: 't', headers: { 'event-id': 'e-1' } }];
      await expect(withPublishSpans(messages, async (sent) => sent)).resolves.toBe(messages);
      await expect(withConsumedEventSpan({}, { topic: 't', partition: 0 }, async () => 'done')).resolves.toBe('done');
    });
  });

  describe('when the SDK runs', () => {
    const exporter = new InMemorySpanExporter();
    const processor = new SimpleSpanProcessor({ exporter });
    const sdk = new NodeSDK({ serviceName: 'spec', spanProcessors: [processor], instrumentations: [] });
    /** Ended spans reach the exporter asynchronously. */
    const finished = async () => {
      await processor.forceFlush();
      return exporter.getFinishedSpans();
    };

    beforeAll(() => {
      sdk.start();
      markTracingStarted();
    });
    afterAll(() => sdk.shutdown());

    it('chains the storing span, the publish and the consumer into one trace, parent to child', async () => {
      const tracer = trace.getTracer('spec');
      const stored = tracer.startActiveSpan('POST /orders', (span) => {
        const headers: Record<string, string> = { 'event-type': 'OrderPlaced', ...currentTraceHeaders() };
        span.end();
        return { headers, spanId: span.spanContext().spanId, traceId: span.spanContext().traceId };
      });
      expect(stored.headers['traceparent']).toContain(stored.traceId);

      const sent = await withPublishSpans([{ topic: 'orders', headers: stored.headers }], async (messages) => messages);
      expect(sent[0]?.headers['traceparent']).not.toBe(stored.headers['traceparent']);
      const consumed = await withConsumedEventSpan(sent[0]!.headers, { topic: 'orders', partition: 2, eventType: 'OrderPlaced', eventId: 'e-1' }, async () =>
        currentTraceHeaders(),
      );

      const spans = await finished();
      const publish = spans.find((s) => s.name === 'publish OrderPlaced')!;
      const process = spans.find((s) => s.name === 'process OrderPlaced')!;
      expect(publish.spanContext().traceId).toBe(stored.traceId);
      expect(parentOf(publish)).toBe(stored.spanId);
      expect(process.spanContext().traceId).toBe(stored.traceId);
      expect(parentOf(process)).toBe(publish.spanContext().spanId);
      expect(process.attributes).toMatchObject({ 'messaging.destination.name': 'orders', 'messaging.message.id': 'e-1' });
      // What the handler stores in its own outbox rows continues from the consumer span.
      expect(consumed['traceparent']).toContain(process.spanContext().spanId);
    });

    it('lets a job continue the trace it was enqueued from, and marks a failed job', async () => {
      const carried = await withJobSpan('runs', undefined, {}, async () => currentTraceHeaders());
      await expect(withJobSpan('repairs', carried, { 'job.id': 'j-1' }, async () => Promise.reject(new Error('gateway down')))).rejects.toThrow('gateway down');
      const spans = await finished();
      const run = spans.find((s) => s.name === 'job runs')!;
      const repair = spans.find((s) => s.name === 'job repairs')!;
      expect(repair.spanContext().traceId).toBe(run.spanContext().traceId);
      expect(parentOf(repair)).toBe(run.spanContext().spanId);
      expect(repair.status.code).toBe(2); // ERROR
    });
  });
});
