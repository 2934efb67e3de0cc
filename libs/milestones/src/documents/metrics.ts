import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '@commerce/platform';

/** The milestone documents' metrics, on the service's registry (GET /metrics). */
export const milestoneDocumentMetrics = {
  written: new Counter({
    name: 'milestone_documents_written_total',
    help: 'Milestone documents (each order\'s /milestones item, cached for the full scan) derived and stored, by trigger (changed, sweep)',
    labelNames: ['trigger'] as const,
    registers: [metricsRegistry],
  }),
  derivedLive: new Counter({
    name: 'milestone_documents_derived_live_total',
    help: 'Orders a /milestones range or orderIds page derived live because their document was missing or not current',
    registers: [metricsRegistry],
  }),
  sweeps: new Counter({
    name: 'milestone_documents_sweeps_total',
    help: 'Sweeps of every order\'s milestone document completed since start-up',
    registers: [metricsRegistry],
  }),
  sweepProgress: new Gauge({
    name: 'milestone_documents_sweep_orders_scanned',
    help: 'Orders the sweep in progress has looked at (0 between sweeps)',
    registers: [metricsRegistry],
  }),
};
