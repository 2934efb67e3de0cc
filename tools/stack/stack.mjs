#!/usr/bin/env node
// Runs the services locally, each as `node -r @swc-node/register apps/<service>/src/main.ts`.
//
//   node tools/stack/stack.mjs                      the five services on their own ports (3001-3005)
//   node tools/stack/stack.mjs --services order,shipment --prefix demo. --log-dir .stack-logs
//
// Ctrl-C (SIGINT) or SIGTERM stops every service gracefully (SIGKILL after 15 s).
// As a library: `import { startStack } from './tools/stack/stack.mjs'`. The implementation
// lives in stack.cjs so that CommonJS callers (jest suites) can `require` it too.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KAFKA_PARTITIONS, TOPICS } from '../infra/config.mjs';

const require = createRequire(import.meta.url);
const stack = require('./stack.cjs');

export const { startStack, ensureDatabases, ensureTopics, deleteTopics, freePort, SERVICES, OPERATOR_APPS, REPO_ROOT } = stack;

/**
 * Settings the reconciliation service and the dashboard need to find the rest. Operators come from
 * DASHBOARD_OPERATORS; without it one operator gets a fresh token, printed once at start-up. The
 * service's API key comes from RECONCILIATION_API_KEY, else a fresh one, given to both apps.
 */
function operatorAppsEnv(prefix) {
  const generated = !process.env.DASHBOARD_OPERATORS;
  const generatedApiKey = !process.env.RECONCILIATION_API_KEY;
  const token = randomBytes(12).toString('base64url');
  const queuePrefix = process.env.RECONCILIATION_QUEUE_PREFIX ?? 'recon';
  const apiKey = process.env.RECONCILIATION_API_KEY ?? randomBytes(24).toString('base64url');
  const urlOf = (service) => `http://127.0.0.1:${SERVICES[service]}`;
  return {
    generated,
    token,
    generatedApiKey,
    apiKey,
    serviceEnv: {
      'reconciliation-service': {
        RECONCILIATION_QUEUE_PREFIX: queuePrefix,
        RECONCILIATION_API_KEY: apiKey,
        ORDER_SERVICE_URL: urlOf('order-service'),
        INVENTORY_SERVICE_URL: urlOf('inventory-service'),
        PAYMENT_SERVICE_URL: urlOf('payment-service'),
        SHIPMENT_SERVICE_URL: urlOf('shipment-service'),
        NOTIFICATION_SERVICE_URL: urlOf('notification-service'),
      },
      'reconciliation-dashboard': {
        RECONCILIATION_QUEUE_PREFIX: queuePrefix,
        RECONCILIATION_URL: `http://127.0.0.1:${OPERATOR_APPS['reconciliation-service']}`,
        RECONCILIATION_API_KEY: apiKey,
        DASHBOARD_OPERATORS: process.env.DASHBOARD_OPERATORS ?? `operator:${token}`,
        DASHBOARD_SESSION_SECRET: process.env.DASHBOARD_SESSION_SECRET ?? randomBytes(24).toString('base64url'),
        KAFKA_TOPIC_PREFIX: prefix,
      },
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      services: { type: 'string' },
      prefix: { type: 'string', default: process.env.KAFKA_TOPIC_PREFIX ?? '' },
      'log-dir': { type: 'string' },
      'log-level': { type: 'string' },
      'services-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: node tools/stack/stack.mjs [--services order,inventory,...] [--prefix P] [--log-dir DIR] [--log-level info]');
    return;
  }
  const withOperatorApps = !values.services && !values['services-only'];
  const services = values.services
    ? values.services.split(',').map((s) => s.trim()).filter(Boolean)
    : [...Object.keys(SERVICES), ...(withOperatorApps ? Object.keys(OPERATOR_APPS) : [])];
  const operator = operatorAppsEnv(values.prefix);

  let running = null;
  let stopping = false;
  const starting = new AbortController();
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`[stack] ${signal}: stopping services...`);
    if (!running) {
      starting.abort(); // startStack stops what it started, then rejects (handled below)
      return;
    }
    await running.stop();
    console.log('[stack] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const startedAt = Date.now();
  running = await startStack({
    services,
    topicPrefix: values.prefix,
    logDir: values['log-dir'],
    logLevel: values['log-level'],
    serviceEnv: operator.serviceEnv,
    createTopics: { topics: TOPICS, partitions: KAFKA_PARTITIONS },
    signal: starting.signal,
  }).catch((error) => {
    if (!starting.signal.aborted) throw error;
    console.log('[stack] stopped before it was up');
    process.exit(0);
  });
  console.log(`[stack] up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s:`);
  for (const [name, url] of Object.entries(running.urls).filter(([n]) => n.endsWith('-service'))) {
    console.log(`[stack]   ${name.padEnd(26)} ${url}  (OpenAPI ${url}/docs)`);
  }
  if (running.urls['reconciliation-dashboard']) {
    console.log(`[stack]   ${'dashboard'.padEnd(26)} ${running.urls['reconciliation-dashboard']}  (queues at /queues)`);
    if (operator.generated) {
      console.log(`[stack]   sign in as "operator" with token ${operator.token}  (set DASHBOARD_OPERATORS=name:token,... to choose)`);
    }
    console.log('[stack]   traffic for it to show: npm run demo   (in another terminal)');
  }
  if (running.urls['reconciliation-service'] && operator.generatedApiKey) {
    console.log(`[stack]   reconciliation API key (X-Api-Key): ${operator.apiKey}  (set RECONCILIATION_API_KEY to choose)`);
  }
  console.log('[stack] Ctrl-C to stop');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(`[stack] ${error.message}`);
    process.exit(1);
  });
}
