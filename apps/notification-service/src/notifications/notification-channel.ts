import { Inject, Injectable } from '@nestjs/common';
import { createLogger } from '@commerce/platform';
import { NOTIFICATION_CHANNEL } from './notification-rules';
import type { NotificationEntity } from './notification.entity';

export const NOTIFICATION_FAILURE_RATE = Symbol('NOTIFICATION_FAILURE_RATE');
export const RANDOM = Symbol('RANDOM');

/** The channel did not take the notification; it is kept FAILED and tried again later. */
export class ChannelUnavailableError extends Error {
  constructor(channel: string) {
    super(`${channel} channel unavailable (simulated)`);
    this.name = 'ChannelUnavailableError';
  }
}

/**
 * The simulated outside world: "sending" is a log line (the database row is the record). With a
 * failure rate above 0 some deliveries fail, to exercise the retries.
 */
@Injectable()
export class NotificationChannel {
  readonly name = NOTIFICATION_CHANNEL;
  private readonly log = createLogger('notification-service');

  constructor(
    @Inject(NOTIFICATION_FAILURE_RATE) private readonly failureRate: number,
    @Inject(RANDOM) private readonly random: () => number,
  ) {}

  /** Throws ChannelUnavailableError when the (simulated) channel fails. */
  deliver(notification: Pick<NotificationEntity, 'id' | 'orderId' | 'kind'>): void {
    if (this.failureRate > 0 && this.random() < this.failureRate) throw new ChannelUnavailableError(this.name);
    this.log.info({ notificationId: notification.id, orderId: notification.orderId, kind: notification.kind, channel: this.name }, 'customer notified');
  }
}
