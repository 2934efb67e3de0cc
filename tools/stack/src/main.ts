// Runs the apps locally, each as `node -r @swc-node/register apps/<app>/src/main.ts` (what `npm start` runs).
//
//   node -r @swc-node/register tools/stack/src/main.ts           the seven apps on their own ports
//   node -r @swc-node/register tools/stack/src/main.ts --services order,shipment --prefix demo. --log-dir .stack-logs
//   node -r @swc-node/register tools/stack/src/main.ts --replicas 2  two instances of each service
//
// A dead app is reported and restarted with backoff; the stack's status is on --status-port
// (GET /health, POST /restart/<name>). Ctrl-C (SIGINT) or SIGTERM stops every app gracefully (SIGKILL after 15 s).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { probeZipkin, ZIPKIN_ENABLED, ZIPKIN_SPANS_ENDPOINT, ZIPKIN_URL } from '@commerce/provisioning';
import { serveStackStatus, type StackStatusServer } from './status-server';
import { generateApiKeys, OPERATOR_APPS, type RunningStack, SERVICES, startStack } from './stack';

/**
 * Settings the reconciliation service and the dashboard need to find the rest, and the keys of the
 * five services' callers (COMMERCE_API_KEY or generated). Operators come from
 * DASHBOARD_OPERATORS; without it one operator gets a fresh token, printed once at start-up. The
 * service's API key comes from RECONCILIATION_API_KEY, else a fresh one, given to both apps.
 */
function operatorAppsEnv(tracesUrl: string | undefined) {
  const env = process.env;
  const token = randomBytes(12).toString('base64url');
  const queuePrefix = env['RECONCILIATION_QUEUE_PREFIX'] ?? 'recon';
  const apiKey = env['RECONCILIATION_API_KEY'] ?? randomBytes(24).toString('base64url');
  const urlOf = (app: string) => `http://127.0.0.1:${SERVICES[app]}`;
  // The five services' keys: the operator's from COMMERCE_API_KEY (kept across restarts, for the
  // demo in another terminal), else fresh; the reconciliation service's always fresh.
  const serviceKeys = { ...generateApiKeys(), ...(env['COMMERCE_API_KEY'] ? { operator: env['COMMERCE_API_KEY'] } : {}) };
  return {
    serviceKeys,
    generatedServiceKey: !env['COMMERCE_API_KEY'],
    generated: !env['DASHBOARD_OPERATORS'],
    token,
    generatedApiKey: !env['RECONCILIATION_API_KEY'],
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
        DASHBOARD_OPERATORS: env['DASHBOARD_OPERATORS'] ?? `operator:${token}`,
        DASHBOARD_SESSION_SECRET: env['DASHBOARD_SESSION_SECRET'] ?? randomBytes(24).toString('base64url'),
        ...(tracesUrl ? { DASHBOARD_TRACES_URL: tracesUrl } : {}),
      },
    },
  };
}

function printUrls(running: RunningStack, operator: ReturnType<typeof operatorAppsEnv>, tracesUrl: string | undefined): void {
  for (const [name, urls] of Object.entries(running.replicaUrls).filter(([n]) => n.endsWith('-service'))) {
    console.log(`[stack]   ${name.padEnd(26)} ${urls.join(' ')}  (OpenAPI ${urls[0]}/docs)`);
  }
  if (operator.generatedServiceKey) {
    console.log(`[stack]   the services' API key (X-Api-Key, read and write): ${operator.serviceKeys.operator}`);
    console.log(`[stack]     for npm run demo in another terminal: export COMMERCE_API_KEY=${operator.serviceKeys.operator}  (set it before npm start to choose the key)`);
  }
  if (running.urls['reconciliation-dashboard']) {
    console.log(`[stack]   ${'dashboard'.padEnd(26)} ${running.urls['reconciliation-dashboard']}  (queues at /queues)`);
    if (operator.generated) {
      console.log(`[stack]   sign in as "operator" with token ${operator.token}  (set DASHBOARD_OPERATORS=name:token,... to choose)`);
    }
    console.log('[stack]   traffic for it to show: npm run demo   (in another terminal)');
  }
  if (tracesUrl) console.log(`[stack]   ${'traces (Zipkin)'.padEnd(26)} ${tracesUrl}/zipkin/`);
  if (running.urls['reconciliation-service'] && operator.generatedApiKey) {
    console.log(`[stack]   reconciliation API key (X-Api-Key): ${operator.apiKey}  (set RECONCILIATION_API_KEY to choose)`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      services: { type: 'string' },
      prefix: { type: 'string', default: process.env['KAFKA_TOPIC_PREFIX'] ?? '' },
      'log-dir': { type: 'string' },
      'log-level': { type: 'string' },
      'services-only': { type: 'boolean' },
      replicas: { type: 'string', default: process.env['STACK_REPLICAS'] ?? '1' },
      'status-port': { type: 'string', default: process.env['STACK_STATUS_PORT'] ?? '3000' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npm start -- [--services order,inventory,...] [--services-only] [--replicas N] [--brokers 3] [--status-port 3000] [--prefix P] [--log-dir DIR] [--log-level info]');
    return;
  }
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`--replicas (STACK_REPLICAS) must be a whole number ≥ 1, got "${values.replicas}"`);
  const statusPort = Number(values['status-port']);
  if (!Number.isInteger(statusPort) || statusPort < 0) throw new Error(`--status-port (STACK_STATUS_PORT) must be a port number, got "${values['status-port']}"`);
  // STACK_HEALTH_TIMEOUT_SECONDS: how long each app may take to answer /health (60 s): longer on a busy machine.
  const healthTimeout = Number(process.env['STACK_HEALTH_TIMEOUT_SECONDS'] ?? '60');
  if (!(healthTimeout > 0)) throw new Error(`STACK_HEALTH_TIMEOUT_SECONDS must be a positive number of seconds, got "${process.env['STACK_HEALTH_TIMEOUT_SECONDS']}"`);
  const withOperatorApps = !values.services && !values['services-only'];
  const services = values.services
    ? values.services.split(',').map((s) => s.trim()).filter(Boolean)
    : [...Object.keys(SERVICES), ...(withOperatorApps ? Object.keys(OPERATOR_APPS) : [])];
  // Every app traces to the local Zipkin when it answers (OTEL_* set by hand take precedence).
  const tracing = ZIPKIN_ENABLED && (await probeZipkin());
  const tracesUrl = tracing ? ZIPKIN_URL : undefined;
  const operator = operatorAppsEnv(tracesUrl);

  let running: RunningStack | null = null;
  let statusServer: StackStatusServer | null = null;
  let stopping = false;
  const starting = new AbortController();
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[stack] ${signal}: stopping services...`);
    if (!running) {
      starting.abort(); // startStack stops what it started, then rejects (handled below)
      return;
    }
    await statusServer?.close();
    await running.stop();
    console.log('[stack] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const startedAt = Date.now();
  try {
    running = await startStack({
      services,
      topicPrefix: values.prefix,
      logDir: values['log-dir'],
      logLevel: values['log-level'],
      serviceEnv: operator.serviceEnv,
      apiKeys: operator.serviceKeys,
      createTopics: true,
      replicas,
      signal: starting.signal,
      tracesTo: tracing ? ZIPKIN_SPANS_ENDPOINT : undefined,
      healthTimeoutMs: healthTimeout * 1000,
    });
  } catch (error) {
    if (!starting.signal.aborted) throw error;
    console.log('[stack] stopped before it was up');
    process.exit(0);
  }
  console.log(`[stack] up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s:`);
  printUrls(running, operator, tracesUrl);
  if (statusPort > 0) {
    statusServer = await serveStackStatus(running, statusPort);
    console.log(`[stack]   ${'stack status'.padEnd(26)} ${statusServer.url}/health  (POST /restart/<name> restarts one service)`);
  }
  console.log('[stack] Ctrl-C to stop');
}

main().catch((error: unknown) => {
  console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
