import { topicReplication } from './topics';

describe('topicReplication', () => {
  it('keeps one copy on a single broker, with no min.insync.replicas of its own', () => {
    expect(topicReplication(1)).toEqual({ replicationFactor: 1, configEntries: [] });
  });

  it('keeps two copies on two brokers, a write acknowledged by either', () => {
    expect(topicReplication(2)).toEqual({ replicationFactor: 2, configEntries: [] });
  });

  it('keeps three copies on three or more brokers, a write acknowledged by two', () => {
    const three = { replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] };
    expect(topicReplication(3)).toEqual(three);
    expect(topicReplication(5)).toEqual(three);
  });
});
