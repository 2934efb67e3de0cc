import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per process; every service exposes it on GET /metrics (metrics.ts). */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
