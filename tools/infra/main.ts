// The infra CLI's commands, on @commerce/provisioning (run through infra.mjs).
import { down, ensureTopics, InfraError, killKafkaNode, startKafkaNode, startLocalBroker, status, stopLocalBroker, up } from '@commerce/provisioning';

const COMMANDS: Record<string, () => Promise<void>> = {
  up,
  down,
  status,
  /** Creates the topics on KAFKA_BROKERS (the docker-compose stack's init step). */
  topics: async () => {
    const created = await ensureTopics();
    console.log(`[infra] kafka    ${created.length > 0 ? `created ${created.join(', ')}` : 'all topics present'}`);
  },
  'kafka-stop': stopLocalBroker,
  'kafka-start': startLocalBroker,
  /** SIGKILLs one node of the local cluster (`kafka-kill-node 2`), as a crash. */
  'kafka-kill-node': async () => console.log(`[infra] kafka    killed node ${nodeArgument()} (pid ${await killKafkaNode(nodeArgument())})`),
  /** Starts that node again and waits until every node answers. */
  'kafka-start-node': async () => console.log(`[infra] kafka    node ${nodeArgument()} started again (pid ${await startKafkaNode(nodeArgument())})`),
};

function nodeArgument(): number {
  const node = Number(process.argv[3]);
  if (!Number.isInteger(node) || node < 1) throw new InfraError(`which node? e.g. "kafka-kill-node 2" (got "${process.argv[3] ?? ''}")`);
  return node;
}

async function main(command: string | undefined): Promise<number> {
  const run = command === undefined ? undefined : COMMANDS[command];
  if (!run) {
    console.error(`usage: node tools/infra/infra.mjs <${Object.keys(COMMANDS).join('|')}>`);
    return 2;
  }
  try {
    await run();
    return 0;
  } catch (error) {
    console.error(error instanceof InfraError ? `[infra] ${error.message}` : error);
    return 1;
  }
}

void main(process.argv[2]).then((code) => process.exit(code));
