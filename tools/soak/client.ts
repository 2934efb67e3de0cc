// The services' REST as the soak's customers and warehouse use it, spread over every replica: a
// replica that does not answer (killed a moment ago) is skipped, and the call goes to another.

export type App = 'order' | 'inventory' | 'payment' | 'shipment' | 'notification' | 'reconciliation';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'HttpError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ReplicaClient {
  private next = 0;

  constructor(
    private readonly urls: Record<App, string[]>,
    private readonly headers: Partial<Record<App, Record<string, string>>> = {},
    /**
     * How long to keep trying when no replica answers in time (a whole service restarting, or
     * behind its traffic): every call is safe to repeat, and giving up would leave an order half played.
     * @defaultValue 600000
     */
    private readonly patienceMs = 600_000,
  ) {}

  /** Calls the app on one replica after another until one answers; a 4xx (5xx after patienceMs) is thrown as HttpError. */
  async call<T = unknown>(app: App, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const replicas = this.urls[app];
    const deadline = Date.now() + this.patienceMs;
    let pause = 250; // grows to 5 s: a replica answering 5xx under load is not helped by being asked faster
    const backOff = () => sleep((pause = Math.min(pause * 2, 5000)));
    for (let attempt = 0; ; attempt++) {
      const url = replicas[(this.next++ + attempt) % replicas.length] as string;
      let response: Response;
      try {
        response = await fetch(url + path, {
          method,
          headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...this.headers[app], ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`${app} did not answer on any replica (${replicas.join(', ')}): ${(error as Error).message}`, { cause: error });
        if (attempt % replicas.length === replicas.length - 1) await backOff();
        continue; // this replica is down (or restarting): another one
      }
      const text = await response.text();
      const parsed: unknown = text ? JSON.parse(text) : undefined;
      // 5xx: a replica starting, its database or broker away, or its pool starved under load. Every call
      // the soak makes is safe to repeat (an order's Idempotency-Key, 409 for a warehouse action done).
      if (response.status >= 500 && Date.now() < deadline) {
        await backOff();
        continue;
      }
      if (!response.ok) throw new HttpError(response.status, parsed, `${method} ${app}${path}`);
      return parsed as T;
    }
  }
}
