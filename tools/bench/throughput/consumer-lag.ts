/**
 * Consumer lag of the stack's groups: each group's committed offsets against the end offsets of
 * the topics it committed on (kafkajs admin; a handful of metadata requests, no consuming).
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';

export class ConsumerLag {
  private readonly admin: Admin;

  constructor(
    brokers: string[],
    /** The stack's topic prefix: its groups are `<prefix><service>`. */
    private readonly prefix: string,
  ) {
    this.admin = new Kafka({ clientId: 'bench-throughput-lag', brokers, logLevel: logLevel.NOTHING }).admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  /** Messages not yet consumed, per group of the stack. */
  async perGroup(): Promise<Record<string, number>> {
    const { groups } = await this.admin.listGroups();
    const ends = new Map<string, Map<number, { high: number; low: number }>>();
    const out: Record<string, number> = {};
    for (const { groupId } of groups.filter((g) => g.groupId.startsWith(this.prefix))) {
      let lag = 0;
      for (const { topic, partitions } of await this.admin.fetchOffsets({ groupId })) {
        if (!ends.has(topic)) {
          const offsets = await this.admin.fetchTopicOffsets(topic);
          ends.set(topic, new Map(offsets.map((o) => [o.partition, { high: Number(o.high), low: Number(o.low) }])));
        }
        for (const { partition, offset } of partitions) {
          const end = ends.get(topic)?.get(partition);
          if (!end) continue;
          // -1: nothing committed on this partition yet, so all it holds is still to be consumed.
          const committed = Number(offset) < 0 ? end.low : Number(offset);
          lag += Math.max(0, end.high - committed);
        }
      }
      out[groupId.slice(this.prefix.length)] = lag;
    }
    return out;
  }

  async total(): Promise<number> {
    return Object.values(await this.perGroup()).reduce((a, b) => a + b, 0);
  }
}
