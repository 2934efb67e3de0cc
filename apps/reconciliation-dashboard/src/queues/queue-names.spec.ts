import { queueNameFromMetaKey, queueState } from './queue-names';

describe('queueNameFromMetaKey', () => {
  it('reads the queue name from its meta key', () => {
    expect(queueNameFromMetaKey('recon:repairs:meta', 'recon')).toBe('repairs');
  });

  it.each(['recon:meta', 'other:repairs:meta', 'recon:repairs:id', 'recon:a:b:meta'])('ignores %s', (key) => {
    expect(queueNameFromMetaKey(key, 'recon')).toBeUndefined();
  });
});

describe('queueState', () => {
  it('is ok when nothing failed and work flows', () => {
    expect(queueState({ waiting: 2, active: 1, failed: 0 }, false, 1)).toBe('ok');
  });

  it('needs attention when jobs failed', () => {
    expect(queueState({ failed: 3 }, false, 1)).toBe('attention');
  });

  it('is stopped when paused, or when work waits and no worker is connected', () => {
    expect(queueState({}, true, 1)).toBe('stopped');
    expect(queueState({ waiting: 5 }, false, 0)).toBe('stopped');
  });
});
