#!/usr/bin/env node
// Local infrastructure for the monorepo: Kafka (KRaft, single node), Postgres, Redis.
//
//   node tools/infra/infra.mjs up                     start what is missing, create topics and databases
//   node tools/infra/infra.mjs status                 one line per component
//   node tools/infra/infra.mjs down                   stop only what `up` started (.infra/started.json)
//   node tools/infra/infra.mjs topics                 create the topics on KAFKA_BROKERS
//   node tools/infra/infra.mjs kafka-stop|kafka-start the project's broker alone
//   node tools/infra/infra.mjs up --brokers 3         a three-node cluster (KAFKA_NODES=3; every command takes it)
//   node tools/infra/infra.mjs kafka-kill-node 2      SIGKILL one node of the cluster (a fault), kafka-start-node 2 again
//
// The commands are TypeScript (main.ts, on @commerce/provisioning), run through @swc-node/register
// as the services are; this launcher only registers it, so the command stays `node <file>`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// --brokers N is KAFKA_NODES=N, set before the settings are read.
const brokersFlag = process.argv.indexOf('--brokers');
if (brokersFlag > 0) {
  process.env.KAFKA_NODES = process.argv[brokersFlag + 1];
  process.argv.splice(brokersFlag, 2);
}
try {
  require('@swc-node/register');
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND') throw error;
  console.error('[infra] node_modules is missing: run "npm ci" at the repository root first');
  process.exit(1);
}
require('./main.ts');
