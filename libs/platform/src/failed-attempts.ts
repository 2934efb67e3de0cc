/** How long a client address's count of refused attempts lasts. */
export const FAILURE_WINDOW_MS = 60_000;

/** Addresses tracked before expired windows are swept (a scan of many addresses must not grow the map without bound). */
const SWEEP_AT = 10_000;

/**
 * Counts refused credentials per client address in fixed one-minute windows: once an address
 * reaches the limit, it is refused without its key being looked at until its window ends.
 */
export class FailedAttempts {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly limitPerWindow: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `client` may try again; 0 when it may now. */
  blockedFor(client: string): number {
    const window = this.windows.get(client);
    if (!window) return 0;
    const endsIn = window.startedAt + FAILURE_WINDOW_MS - this.now();
    if (endsIn <= 0) {
      this.windows.delete(client);
      return 0;
    }
    return window.failures >= this.limitPerWindow ? endsIn : 0;
  }

  /** Records one refused attempt by `client`. */
  record(client: string): void {
    const now = this.now();
    const window = this.windows.get(client);
    if (window && now - window.startedAt < FAILURE_WINDOW_MS) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= SWEEP_AT) this.sweep(now);
    this.windows.set(client, { startedAt: now, failures: 1 });
  }

  private sweep(now: number): void {
    for (const [client, window] of this.windows) if (now - window.startedAt >= FAILURE_WINDOW_MS) this.windows.delete(client);
  }
}
