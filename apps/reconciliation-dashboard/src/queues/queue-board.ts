import { type BeforeApplicationShutdown, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import IORedis, { type Redis } from 'ioredis';
import { createLogger, redactUrl, redisConnection } from '@commerce/platform';
import { operatorOf } from '../auth/auth.middleware';
import type { DashboardConfig } from '../config';
import { DASHBOARD_CONFIG } from '../tokens';
import { type QueueHealth, queueNameFromMetaKey, queueState } from './queue-names';

/** Where bull-board is mounted (behind AuthMiddleware, like everything else). */
export const QUEUES_PATH = '/queues';
const DISCOVERY_EVERY_MS = 30_000;
const HEALTH_TIMEOUT_MS = 3_000;

export interface QueuesHealth {
  redis: 'up' | 'down';
  prefix: string;
  queues: QueueHealth[];
  error?: string;
}

/**
 * The reconciliation service's BullMQ queues: found in Redis under RECONCILIATION_QUEUE_PREFIX
 * (plus the names configured, so a queue shows before its first job), shown in bull-board at
 * /queues and summarised for the overview.
 */
@Injectable()
export class QueueBoard implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = createLogger('reconciliation-dashboard');
  private readonly redis: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly serverAdapter = new ExpressAdapter().setBasePath(QUEUES_PATH);
  private readonly board = createBullBoard({
    queues: [],
    serverAdapter: this.serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'Reconciliation queues',
        miscLinks: [{ text: 'Back to the dashboard', url: '/#/overview' }],
        hideDocsLink: true,
        sortQueues: true,
      },
    },
  });
  private discovery?: NodeJS.Timeout;
  private lastDiscovery = 0;

  constructor(
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.redis = new IORedis({ ...redisConnection(config.REDIS_URL, config.REDIS_TLS_CA_FILE), maxRetriesPerRequest: 1, lazyConnect: true, connectionName: 'reconciliation-dashboard' });
    this.redis.on('error', (error: Error) => this.logger.debug({ err: error }, 'redis connection error (queue views degrade until it is back)'));
  }

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<{ use(path: string, ...handlers: unknown[]): void }>();
    app.use(QUEUES_PATH, auditQueueActions(this.logger), this.serverAdapter.getRouter());
    void this.redis.connect().then(
      () => this.discover(),
      (error: Error) => this.logger.warn({ err: error }, `redis at ${redactUrl(this.config.REDIS_URL)} not reachable; queue views are empty until it is`),
    );
    this.discovery = setInterval(() => void this.discover(), DISCOVERY_EVERY_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.discovery);
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    this.redis.disconnect();
  }

  /** Adds the queues that appeared in Redis since the last look. */
  async discover(): Promise<void> {
    this.lastDiscovery = Date.now();
    const names = new Set(this.config.RECONCILIATION_QUEUES);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.config.RECONCILIATION_QUEUE_PREFIX}:*:meta`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const name = queueNameFromMetaKey(key, this.config.RECONCILIATION_QUEUE_PREFIX);
          if (name) names.add(name);
        }
      } while (cursor !== '0');
    } catch (error) {
      this.logger.debug({ err: error }, 'queue discovery failed; keeping the queues known so far');
    }
    for (const name of names) {
      if (this.queues.has(name)) continue;
      const queue = new Queue(name, { connection: this.redis, prefix: this.config.RECONCILIATION_QUEUE_PREFIX });
      queue.on('error', (error: Error) => this.logger.debug({ err: error, queue: name }, 'queue connection error'));
      this.queues.set(name, queue);
      this.board.addQueue(new BullMQAdapter(queue, { description: `prefix ${this.config.RECONCILIATION_QUEUE_PREFIX}` }));
    }
  }

  /** Counts per queue; `redis: 'down'` (with the reason) when Redis does not answer. */
  async health(): Promise<QueuesHealth> {
    const prefix = this.config.RECONCILIATION_QUEUE_PREFIX;
    if (Date.now() - this.lastDiscovery > DISCOVERY_EVERY_MS / 3) await withTimeout(this.discover(), HEALTH_TIMEOUT_MS).catch(() => undefined);
    try {
      const queues = await withTimeout(
        Promise.all(
          [...this.queues.entries()].map(async ([name, queue]): Promise<QueueHealth> => {
            const [counts, paused, workers] = await Promise.all([
              queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'),
              queue.isPaused(),
              queue.getWorkersCount().catch(() => null),
            ]);
            return { name, counts, paused, workers, state: queueState(counts, paused, workers) };
          }),
        ),
        HEALTH_TIMEOUT_MS,
      );
      return { redis: 'up', prefix, queues: queues.sort((a, b) => a.name.localeCompare(b.name)) };
    } catch (error) {
      return { redis: 'down', prefix, queues: [], error: `Redis at ${redactUrl(this.config.REDIS_URL)} did not answer: ${(error as Error).message}` };
    }
  }
}

/** Logs who changed what in bull-board (retry, clean, promote, ...): it keeps no audit trail itself. */
function auditQueueActions(logger: ReturnType<typeof createLogger>) {
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      logger.info({ operator: operatorOf(response).name, method: request.method, path: request.originalUrl }, 'operator changed a queue in bull-board');
    }
    next();
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
