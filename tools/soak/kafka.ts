// The soak's own Kafka clients (fault injection, lag sampling, the oracle): patient timeouts, because
// the soak saturates the machine it runs on and kafkajs' defaults (1 s to connect) then fail.
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from '@commerce/provisioning';

export function soakKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING, connectionTimeout: 15_000, requestTimeout: 60_000 });
}
