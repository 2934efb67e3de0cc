import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS } from '@commerce/contracts';
import { deleteTopics, ensureTopics, KAFKA_PARTITIONS, kafkaBrokers } from '../src';

jest.setTimeout(60_000);

describe('topic provisioning', () => {
  const admin = new Kafka({ clientId: 'provisioning-spec', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  const prefix = `t_${randomUUID().slice(0, 8)}.`;
  const ours = ALL_TOPICS.map((topic) => prefix + topic);
  const present = async () => (await admin.listTopics()).filter((topic) => topic.startsWith(prefix)).sort();
  /** Polls until `check` holds (a deleted topic stays listed for a moment); fails with the last answer. */
  const until = async (check: (topics: string[]) => boolean): Promise<string[]> => {
    let topics = await present();
    for (let i = 0; i < 100 && !check(topics); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      topics = await present();
    }
    return topics;
  };

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await deleteTopics({ prefix });
    await admin.disconnect();
  });

  it('creates every topic of the contracts under the prefix, with production partitions, once', async () => {
    expect(KAFKA_PARTITIONS).toBe(Number(process.env['KAFKA_PARTITIONS'] ?? 6));
    await expect(ensureTopics({ prefix })).resolves.toEqual(ours);
    await expect(ensureTopics({ prefix })).resolves.toEqual([]);

    expect(await present()).toEqual([...ours].sort());
    const { topics } = await admin.fetchTopicMetadata({ topics: ours });
    expect(topics.map((t) => t.partitions.length)).toEqual(ours.map(() => KAFKA_PARTITIONS));
  });

  it('deletes the topics under the prefix, and refuses to delete the shared, unprefixed ones', async () => {
    await ensureTopics({ prefix });
    await expect(deleteTopics({ prefix: '' })).rejects.toThrow(/needs a prefix/);
    await deleteTopics({ prefix });
    expect(await until((topics) => topics.length === 0)).toEqual([]);
  });
});
