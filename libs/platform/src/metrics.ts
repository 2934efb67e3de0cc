import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Counter, Histogram } from 'prom-client';
import { OpenToAnyone } from './credential-guard';
import { metricsRegistry } from './metrics-registry';

export { metricsRegistry };

export const eventMetrics = {
  consumed: new Counter({
    name: 'events_consumed_total',
    help: 'Events consumed, by type and outcome (applied, duplicate, dead-lettered)',
    labelNames: ['type', 'outcome'] as const,
    registers: [metricsRegistry],
  }),
  produced: new Counter({
    name: 'events_produced_total',
    help: 'Events published to Kafka by the outbox relay, by type',
    labelNames: ['type'] as const,
    registers: [metricsRegistry],
  }),
  failed: new Counter({
    name: 'events_failed_total',
    help: 'Handler attempts that failed, by type and kind (transient, poison)',
    labelNames: ['type', 'kind'] as const,
    registers: [metricsRegistry],
  }),
  handlerSeconds: new Histogram({
    name: 'event_handler_duration_seconds',
    help: 'Time from receiving an event to committing its effects',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metricsRegistry],
  }),
  relayFailures: new Counter({
    name: 'outbox_relay_failures_total',
    help: 'Outbox relay batches that failed (broker or database away); their rows stay pending and go out again',
    registers: [metricsRegistry],
  }),
};

@ApiExcludeController()
@OpenToAnyone()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}

/**
 * For gauges filled from one query at scrape time: the registry collects every metric at once, so
 * each gauge's `collect` awaits the same read, shared while it is in flight.
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inflight: Promise<T> | null = null;
  return () =>
    (inflight ??= read().finally(() => {
      inflight = null;
    }));
}
