import { Partitioners } from 'kafkajs';

const partitioner = Partitioners.DefaultPartitioner();

/**
 * The partition the services' producers put a message keyed `orderId` on, out of `partitions`:
 * kafkajs's DefaultPartitioner (murmur2 of the key, as Java's), the one the messaging client uses.
 * Asked of that same function, so the two cannot drift apart.
 */
export function partitionOf(orderId: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
  return partitioner({ topic: 'any', partitionMetadata, message: { key: orderId, value: null } });
}
