#!/usr/bin/env node
// npm run dead-letters -- <list|replay> --service <name|url> [--id N ...] [--all]
// Lists a service's dead letters, or replays chosen ones, through the service's REST API.
// Every service asks for a key, sent as X-Api-Key: COMMERCE_API_KEY for the five services (a write
// key to replay; `npm start` prints one), RECONCILIATION_API_KEY for the reconciliation service.
const SERVICES = {
  order: 3001,
  inventory: 3002,
  payment: 3003,
  shipment: 3004,
  notification: 3005,
  reconciliation: 3006,
};

function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error(`usage: npm run dead-letters -- list --service <${Object.keys(SERVICES).join('|')}|http://host:port> [--include-replayed]
       npm run dead-letters -- replay --service <name|url> --id <id> [--id <id> ...]`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
const args = { ids: [] };
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--service') args.service = rest[++i];
  else if (rest[i] === '--id') args.ids.push(rest[++i]);
  else if (rest[i] === '--include-replayed') args.includeReplayed = true;
  else usage(`unknown argument ${rest[i]}`);
}
if (!['list', 'replay'].includes(command)) usage(command ? `unknown command ${command}` : undefined);
if (!args.service) usage('--service is required');
const shortName = args.service.replace(/-service$/, '');
const base = /^https?:\/\//.test(args.service)
  ? args.service.replace(/\/$/, '')
  : SERVICES[shortName]
    ? `http://127.0.0.1:${SERVICES[shortName]}`
    : usage(`unknown service ${args.service}`);

async function call(method, path) {
  let response;
  try {
    const key = shortName === 'reconciliation' ? process.env.RECONCILIATION_API_KEY : process.env.COMMERCE_API_KEY;
    const headers = key ? { 'x-api-key': key } : {};
    response = await fetch(base + path, { method, headers });
  } catch (error) {
    console.error(`error: ${base} does not answer (${error.cause?.code ?? error.message}); is the service running?`);
    process.exit(1);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    console.error(`error: ${method} ${path} → ${response.status}: ${body.detail ?? body.title ?? JSON.stringify(body)}`);
    process.exit(1);
  }
  return body;
}

if (command === 'list') {
  const letters = await call('GET', `/dead-letters?limit=1000${args.includeReplayed ? '&includeReplayed=true' : ''}`);
  if (letters.length === 0) console.log('no dead letters');
  for (const d of letters) {
    console.log(
      `#${d.id}  ${d.failedAt}  ${d.eventType ?? '?'}  order ${d.orderId ?? '?'}  ${d.sourceTopic}[${d.sourcePartition}]@${d.sourceOffset}  attempts ${d.attempts}${d.replayedAt ? `  replayed ${d.replayOutcome}` : ''}\n     ${d.reason}`,
    );
  }
} else {
  if (args.ids.length === 0) usage('replay needs at least one --id');
  let failed = 0;
  for (const id of args.ids) {
    const result = await call('POST', `/dead-letters/${encodeURIComponent(id)}/replay`);
    console.log(`#${id}: ${result.outcome}${result.error ? ` (${result.error})` : ''}`);
    if (result.outcome === 'failed') failed++;
  }
  process.exit(failed ? 1 : 0);
}
