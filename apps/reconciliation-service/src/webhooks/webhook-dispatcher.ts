import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createLogger } from '@commerce/platform';
import type { ServiceConfig } from '../config';
import { RECON_CONFIG } from '../settings.module';
import { webhookDeliveries } from '../stats/reconciliation-metrics';
import { WebhookDeliveries } from './webhook-deliveries';
import { afterAttempt } from './webhook-retry';
import { sendWebhook } from './webhook-sender';

/**
 * Delivers what the webhook outbox holds. Every replica runs one; a delivery is claimed with
 * FOR UPDATE SKIP LOCKED in a transaction held while it is sent, so two replicas never send the
 * same attempt, and a replica that dies mid-send releases it (it is sent again: receivers
 * deduplicate on the delivery id).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('webhooks');
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECON_CONFIG) private readonly config: ServiceConfig,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  onApplicationBootstrap(): void {
    // Without endpoints nothing is written; a delivery left from an earlier setting waits for them.
    if (this.config.WEBHOOK_ENDPOINTS.length > 0) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
  }

  /** Tries everything due now, one delivery at a time per slot; answers how many attempts were made. */
  async deliverDue(): Promise<number> {
    const made = await Promise.all(Array.from({ length: this.config.WEBHOOK_CONCURRENCY }, () => this.drain()));
    return made.reduce((sum, n) => sum + n, 0);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.deliverDue()
        .then(() => undefined)
        .finally(() => this.schedule());
    }, this.config.WEBHOOK_POLL_MS);
  }

  private async drain(): Promise<number> {
    let made = 0;
    try {
      while (!this.stopped && (await this.deliverNext())) made++;
    } catch (error) {
      this.log.warn({ err: error }, 'webhook deliveries paused until the next poll');
    }
    return made;
  }

  private deliverNext(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const delivery = await this.deliveries.claimNext(manager, new Date());
      if (!delivery) return false;
      const attempt = delivery.attempts + 1;
      const started = new Date();
      const result = await sendWebhook({ ...delivery, attempt }, this.config.WEBHOOK_SECRET ?? '', this.config.WEBHOOK_TIMEOUT_MS, started);
      const durationMs = Date.now() - started.getTime();
      const state = afterAttempt(result, attempt, delivery.maxAttempts, new Date(), {
        backoffMs: this.config.WEBHOOK_BACKOFF_MS,
        maxBackoffMs: this.config.WEBHOOK_BACKOFF_MAX_MS,
      });
      await this.deliveries.record(
        manager,
        delivery,
        { attempt, at: started, statusCode: result.statusCode, error: result.ok ? null : result.error, durationMs },
        state,
      );
      webhookDeliveries.inc({ outcome: state.status === 'DELIVERED' ? 'delivered' : state.status === 'PENDING' ? 'retrying' : 'failed' });
      if (state.status === 'FAILED') this.log.warn({ deliveryId: delivery.id, event: delivery.eventType }, `webhook delivery failed after ${attempt} attempts`);
      return true;
    });
  }
}
