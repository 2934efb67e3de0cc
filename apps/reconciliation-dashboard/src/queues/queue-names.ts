/** `<prefix>:<queue>:meta`: the key every BullMQ queue keeps, whatever its state. */
export function queueNameFromMetaKey(key: string, prefix: string): string | undefined {
  const head = `${prefix}:`;
  if (!key.startsWith(head) || !key.endsWith(':meta')) return undefined;
  const name = key.slice(head.length, -':meta'.length);
  return name === '' || name.includes(':') ? undefined : name;
}

/** Counts per state, from BullMQ's getJobCounts. */
export type JobCounts = Record<string, number>;

/** How one queue is doing, for the overview's "queue health" panel. */
export interface QueueHealth {
  name: string;
  counts: JobCounts;
  paused: boolean;
  /** Workers connected right now (null when Redis does not tell, e.g. CLIENT LIST refused). */
  workers: number | null;
  /** ok: nothing failed, work flows; attention: failed jobs or a backlog; stopped: paused, or work waits and nobody processes it. */
  state: 'ok' | 'attention' | 'stopped';
}

/** A queue's state in one word, from its counts (so the overview can colour it). */
export function queueState(counts: JobCounts, paused: boolean, workers: number | null): QueueHealth['state'] {
  const waiting = (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0);
  if (paused || (workers === 0 && waiting > 0)) return 'stopped';
  if ((counts['failed'] ?? 0) > 0 || waiting > 1000) return 'attention';
  return 'ok';
}
