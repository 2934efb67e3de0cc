// The infra CLI's commands, on @commerce/provisioning (run through infra.mjs).
import { down, ensureTopics, InfraError, startLocalBroker, status, stopLocalBroker, up } from '@commerce/provisioning';

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
};

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
