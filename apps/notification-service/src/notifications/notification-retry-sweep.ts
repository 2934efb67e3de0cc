import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { createLogger } from '@commerce/platform';
import { NotificationsService } from './notifications.service';

export const NOTIFICATION_RETRY_INTERVAL_MS = Symbol('NOTIFICATION_RETRY_INTERVAL_MS');

/** Periodically tries the FAILED notifications whose backoff has passed, until they are SENT. */
@Injectable()
export class NotificationRetrySweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = createLogger('notification-service');
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly notifications: NotificationsService,
    @Inject(NOTIFICATION_RETRY_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops before the database goes away, after the attempt in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const tried = await this.notifications.retryDue();
        if (tried > 0) this.log.info({ tried }, 'failed notifications tried again');
      } catch (error) {
        this.log.warn({ err: error }, 'notification retry sweep failed; trying again next round');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}
