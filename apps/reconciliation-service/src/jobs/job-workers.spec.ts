import { assertEveryQueueHasAProcessor, MissingProcessorError } from './job-workers';
import { QUEUE_NAMES, runIdForJob } from './queues';

describe('start-up', () => {
  it('passes when every queue has exactly one processor', () => {
    expect(() => assertEveryQueueHasAProcessor(QUEUE_NAMES.map((queue) => ({ queue })))).not.toThrow();
  });

  it('fails, naming the queue, when a queue has no processor', () => {
    expect(() => assertEveryQueueHasAProcessor([{ queue: 'runs' }, { queue: 'checks' }])).toThrow(MissingProcessorError);
    expect(() => assertEveryQueueHasAProcessor([{ queue: 'runs' }, { queue: 'checks' }])).toThrow(/repairs/);
  });

  it('fails when a queue has two processors', () => {
    expect(() => assertEveryQueueHasAProcessor([...QUEUE_NAMES.map((queue) => ({ queue })), { queue: 'runs' as const }])).toThrow(/more than one/);
  });
});

describe('runIdForJob', () => {
  it('derives the same uuid-shaped run id from the same job, so a retried scheduled job continues its run', () => {
    const id = runIdForJob('runs', 'repeat:incremental-scan:1700000000000');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(runIdForJob('runs', 'repeat:incremental-scan:1700000000000')).toBe(id);
    expect(runIdForJob('runs', 'repeat:incremental-scan:1700000060000')).not.toBe(id);
  });
});
