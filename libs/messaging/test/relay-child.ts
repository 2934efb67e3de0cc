// A relay in its own process that SIGKILLs itself right after its Nth batch reached Kafka
// and before the rows are marked published: a real crash mid-batch.
import { DataSource } from 'typeorm';
import { KafkajsMessagingClient } from '../src/kafka/kafkajs-client';
import type { OutgoingMessage } from '../src/kafka/ports';
import { OutboxRelay } from '../src/outbox/outbox-relay';

async function main() {
  const [url, brokers, killAfterBatches] = process.argv.slice(2);
  const dataSource = new DataSource({ type: 'postgres', url });
  await dataSource.initialize();
  const inner = new KafkajsMessagingClient(brokers.split(','), 'relay-child').producer();
  await inner.connect();
  let batches = 0;
  const producer = {
    connect: () => inner.connect(),
    disconnect: () => inner.disconnect(),
    async send(messages: OutgoingMessage[]) {
      await inner.send(messages);
      batches += 1;
      if (batches >= Number(killAfterBatches)) process.kill(process.pid, 'SIGKILL');
    },
  };
  await new OutboxRelay(dataSource, producer, { batchSize: 100 }).start();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
