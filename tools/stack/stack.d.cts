// Types of stack.cjs (for TypeScript callers such as the e2e suite).

export interface StackOptions {
  /** `order` or `order-service`; default: the five services. */
  services?: string[];
  /** Extra environment for every service. */
  env?: Record<string, string>;
  /** Extra environment per service (keyed by full or short name). */
  serviceEnv?: Record<string, Record<string, string>>;
  /** KAFKA_TOPIC_PREFIX for every service. @defaultValue '' */
  topicPrefix?: string;
  /** Port per service (full or short name); 0 = a free port. @defaultValue the service's own port */
  ports?: Record<string, number>;
  /** DATABASE_NAME per service (full or short name). @defaultValue `order_service`, ... */
  databases?: Record<string, string>;
  /** Create the missing databases first. @defaultValue true */
  createDatabases?: boolean;
  /** Create these topics (with the prefix) if missing. */
  createTopics?: { topics: readonly string[]; partitions?: number };
  /** LOG_LEVEL for every service. @defaultValue the environment's, else 'info' */
  logLevel?: string;
  /** Prefix each output line with `[order]`. @defaultValue true */
  logPrefix?: boolean;
  /** Write each service's output to `<logDir>/<name>.log` instead of stdout. */
  logDir?: string;
  /** Drop the output (the tail is still kept for error messages). */
  silent?: boolean;
  /** @defaultValue '/health' */
  healthPath?: string;
  /** @defaultValue 60000 */
  healthTimeoutMs?: number;
  /** SIGKILL this long after SIGTERM. @defaultValue 15000 */
  stopTimeoutMs?: number;
  /** Aborting it while starting stops what was started and rejects. */
  signal?: AbortSignal;
}

export interface RunningStack {
  /** Base URL per service, keyed by full (`order-service`) and short (`order`) name. */
  urls: Record<string, string>;
  /** DATABASE_NAME per service (full name). */
  databases: Record<string, string>;
  /** Process id per service (full name): what a benchmark samples its CPU time from /proc by. */
  pids: Record<string, number>;
  /** SIGTERM to every service, SIGKILL after stopTimeoutMs; resolves when all have exited. */
  stop(): Promise<void>;
}

export declare function startStack(options?: StackOptions): Promise<RunningStack>;
export declare function ensureDatabases(names: string[], serverUrl?: string): Promise<void>;
export declare function ensureTopics(options: { topics: readonly string[]; prefix?: string; partitions?: number; brokers?: string }): Promise<void>;
/** Deletes `prefix + name` for each existing topic; refuses an empty prefix. */
export declare function deleteTopics(options: { topics: readonly string[]; prefix: string; brokers?: string }): Promise<void>;
export declare function freePort(): Promise<number>;
export declare function databaseUrl(serverUrl: string, name: string): string;
export declare const SERVICES: Record<string, number>;
export declare const REPO_ROOT: string;
