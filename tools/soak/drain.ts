// How long the stack took to catch up after each fault: the soak's consumer groups' total lag
// (messages on their topics not yet committed), sampled while orders flow. A fault has drained once
// the lag is back to what it was when the fault began (or to a small floor: under steady traffic
// the lag is never quite zero). Its resolution is the time between samples (2 s, longer when the
// machine is saturated).
import type { Admin } from 'kafkajs';
import { soakKafka } from './kafka';

/** Lag at or under this counts as drained whatever it was when the fault began. */
const FLOOR = 5;

export interface Drain {
  /** Seconds from `from` until the lag was back; null if it was not within the wait. */
  seconds: number | null;
  /** Highest lag sampled meanwhile. */
  peakLag: number;
}

export class LagWatch {
  private readonly admin: Admin;
  private readonly samples: Array<{ at: number; lag: number }> = [];
  private timer: NodeJS.Timeout | null = null;
  private sampling: Promise<void> = Promise.resolve();
  /** Samples the cluster did not answer. */
  missed = 0;

  constructor(
    private readonly groups: string[],
    private readonly topics: string[],
    /** Between samples. @defaultValue 2000 */
    private readonly intervalMs = 2000,
  ) {
    this.admin = soakKafka('soak-lag-watch').admin();
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await this.sample();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample());
    }, this.intervalMs);
  }

  /** The last lag sampled. */
  current(): number {
    return this.samples.at(-1)?.lag ?? 0;
  }

  /**
   * Waits until a sample taken after `from` (epoch ms, the fault's end) shows the lag at most
   * `baseline` (or FLOOR); the peak counts from `injectedAt`.
   */
  async drainAfter(injectedAt: number, from: number, baseline: number, timeoutMs: number): Promise<Drain> {
    const threshold = Math.max(baseline, FLOOR);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const since = this.samples.filter((s) => s.at >= from);
      const peakLag = Math.max(0, ...this.samples.filter((s) => s.at >= injectedAt).map((s) => s.lag));
      const back = since.find((s) => s.lag <= threshold);
      if (back) return { seconds: (back.at - from) / 1000, peakLag };
      if (Date.now() > deadline) return { seconds: null, peakLag };
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sampling;
    await this.admin.disconnect();
  }

  /** One sample; skipped while the cluster does not answer (a broker being killed). */
  private async sample(): Promise<void> {
    const at = Date.now();
    try {
      // All requests at once: on a loaded machine one after the other made a sample take seconds.
      const [ends, committed] = await Promise.all([
        Promise.all(this.topics.map(async (topic) => ({ topic, partitions: await this.admin.fetchTopicOffsets(topic) }))),
        Promise.all(this.groups.map((groupId) => this.admin.fetchOffsets({ groupId, topics: this.topics }))),
      ]);
      const high = new Map(ends.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}/${p.partition}`, Number(p.high)] as const)));
      let lag = 0;
      for (const { topic, partitions } of committed.flat()) {
        for (const p of partitions) {
          const offset = Number(p.offset);
          if (offset >= 0) lag += Math.max(0, (high.get(`${topic}/${p.partition}`) ?? offset) - offset);
        }
      }
      this.samples.push({ at, lag });
    } catch {
      this.missed++; // no sample this time (a broker being killed): the next one counts
    }
  }
}
