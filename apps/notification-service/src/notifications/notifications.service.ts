import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { createEvent, type EventEnvelope, type NotificationKind, SERVICES } from '@commerce/contracts';
import { backoffDelay, type EventContext, Outbox, type RetryPolicy } from '@commerce/messaging';
import { createLogger, observeStateTransition, workContext } from '@commerce/platform';
import { NotificationChannel } from './notification-channel';
import { everyShipmentDelivered, KIND_OF_EVENT, shouldAnnounceCancellation, type TrackedShipment } from './notification-rules';
import { NotificationEntity } from './notification.entity';

export const NOTIFICATION_RETRY_POLICY = Symbol('NOTIFICATION_RETRY_POLICY');

/** Arbitrary class id for the per-order advisory locks (two-key space, apart from the outbox relay's). */
const ORDER_LOCK_CLASS = 5005;

/**
 * The order's advisory lock (parameter `order` the order id, `lockClass` the class) taken by the write it is the FROM of,
 * before its row is written: one round trip less than a statement of its own. Only for writes
 * whose outcome does not depend on the statement's snapshot (ON CONFLICT decides on the latest
 * rows); a read that must see what the lock waited for takes it in a statement before (lockOrder).
 */
const lockingTheOrder = (order: number, lockClass: number) => `FROM (SELECT pg_advisory_xact_lock($${lockClass}, hashtext($${order}))) AS serialized`;

/** What asked for a notification: the event (or repair command) and the order flow it belongs to. */
interface Cause {
  orderId: string;
  correlationId: string;
  eventId: string;
  type: string;
}

const causeOf = (event: EventEnvelope): Cause => ({ orderId: event.orderId, correlationId: event.correlationId, eventId: event.eventId, type: event.type });

@Injectable()
export class NotificationsService {
  private readonly log = createLogger('notification-service');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly channel: NotificationChannel,
    @Inject(NOTIFICATION_RETRY_POLICY) private readonly retry: RetryPolicy,
  ) {}

  // -- reactions to events: each runs in the consumer's transaction (context.manager) --------------

  /** confirmed on PaymentAuthorized; rejected on InventoryRejected or PaymentDeclined (once, whichever comes first). */
  async notifyOfDecision(event: EventEnvelope<keyof typeof KIND_OF_EVENT>, context: EventContext): Promise<void> {
    await this.notifyOnce(context.manager, KIND_OF_EVENT[event.type], causeOf(event), { lockOrder: true });
  }

  /** Remembers the shipment: "delivered" waits for every shipment created for the order. */
  async trackShipment(event: EventEnvelope<'ShipmentCreated'>, context: EventContext): Promise<void> {
    await context.manager.query(
      `INSERT INTO order_shipment (order_id, shipment_id) VALUES ($1, $2) ON CONFLICT (order_id, shipment_id) DO NOTHING`,
      [event.orderId, event.payload.shipmentId],
    );
  }

  /** dispatched on the first ShipmentDispatched of the order. */
  async notifyDispatch(event: EventEnvelope<'ShipmentDispatched'>, context: EventContext): Promise<void> {
    await this.notifyOnce(context.manager, 'dispatched', causeOf(event), { lockOrder: true });
  }

  /** delivered once every shipment created for the order (and not cancelled) is delivered. */
  async shipmentDelivered(event: EventEnvelope<'ShipmentDelivered'>, context: EventContext): Promise<void> {
    // A delivery of a shipment never heard created (e.g. after a restore) still counts as a shipment.
    await context.manager.query(
      `INSERT INTO order_shipment (order_id, shipment_id, delivered_at) SELECT $1::text, $2::text, $3::timestamptz ${lockingTheOrder(1, 4)}
       ON CONFLICT (order_id, shipment_id) DO UPDATE SET delivered_at = coalesce(order_shipment.delivered_at, EXCLUDED.delivered_at)`,
      [event.orderId, event.payload.shipmentId, event.occurredAt, ORDER_LOCK_CLASS],
    );
    await this.notifyIfAllDelivered(context.manager, causeOf(event));
  }

  /** A cancelled shipment will never be delivered: the others may now be all there is to wait for. */
  async shipmentCancelled(event: EventEnvelope<'ShipmentCancelled'>, context: EventContext): Promise<void> {
    await context.manager.query(
      `INSERT INTO order_shipment (order_id, shipment_id, cancelled_at) SELECT $1::text, $2::text, $3::timestamptz ${lockingTheOrder(1, 4)}
       ON CONFLICT (order_id, shipment_id) DO UPDATE SET cancelled_at = coalesce(order_shipment.cancelled_at, EXCLUDED.cancelled_at)`,
      [event.orderId, event.payload.shipmentId, event.occurredAt, ORDER_LOCK_CLASS],
    );
    await this.notifyIfAllDelivered(context.manager, causeOf(event));
  }

  /** cancelled on OrderCancellationRequested, unless the customer was already told it is on its way. */
  async notifyCancellation(event: EventEnvelope<'OrderCancellationRequested'>, context: EventContext): Promise<void> {
    await this.lockOrder(context.manager, event.orderId);
    const rows: Array<{ kind: NotificationKind }> = await context.manager.query(`SELECT kind FROM notification WHERE order_id = $1`, [event.orderId]);
    if (!shouldAnnounceCancellation(rows.map((row) => row.kind))) {
      this.log.info({ orderId: event.orderId }, 'cancellation not announced: the customer was told the order is on its way');
      return;
    }
    await this.notifyOnce(context.manager, 'cancelled', causeOf(event));
  }

  /**
   * Repair: sends the notification if it is missing, tries a FAILED one again now, leaves a SENT
   * one alone and answers why (the repair refuses with it); null when it sent or tried.
   */
  async resend(command: EventEnvelope<'ResendNotificationRequested'>, context: EventContext): Promise<string | null> {
    const { manager } = context;
    const { kind, caseId, rule } = command.payload;
    await this.lockOrder(manager, command.orderId);
    const existing = await manager.getRepository(NotificationEntity).findOne({
      where: { orderId: command.orderId, kind },
      lock: { mode: 'pessimistic_write' },
    });
    if (!existing) {
      this.log.info({ kind, caseId, rule }, 'missing notification: sending it');
      await this.notifyOnce(manager, kind, causeOf(command));
    } else if (existing.status === 'FAILED') {
      this.log.info({ kind, caseId, rule, notificationId: existing.id }, 'failed notification: trying again now');
      await this.attempt(manager, existing);
    } else {
      this.log.info({ kind, caseId, rule, notificationId: existing.id }, 'notification already sent: nothing to do');
      return `the ${kind} notification was already sent (${existing.id})`;
    }
    return null;
  }

  // -- the retry sweep ----------------------------------------------------------------------------

  /** Tries the FAILED notifications that are due once more; returns how many were tried. */
  async retryDue(limit = 50): Promise<number> {
    // Most sweeps find nothing due: one statement to say so, not a transaction of three.
    const due: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM notification WHERE status = 'FAILED' AND next_attempt_at <= clock_timestamp() LIMIT 1`,
    );
    if (due.length === 0) return 0;
    return this.dataSource.transaction(async (manager) => {
      // SKIP LOCKED: another replica's sweep (or a resend) working on a row is left to it.
      const due: Array<{ id: string }> = await manager.query(
        `SELECT id FROM notification
          WHERE status = 'FAILED' AND next_attempt_at <= clock_timestamp()
          ORDER BY next_attempt_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const { id } of due) {
        const notification = await manager.getRepository(NotificationEntity).findOneByOrFail({ id });
        await workContext.run({ correlationId: notification.correlationId, causationId: notification.causeEventId, orderId: notification.orderId }, () =>
          this.attempt(manager, notification),
        );
      }
      return due.length;
    });
  }

  // -- internals ----------------------------------------------------------------------------------

  /** Serializes the handlers of one order: the events that decide its notifications come on several topics. */
  private async lockOrder(manager: EntityManager, orderId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORDER_LOCK_CLASS, orderId]);
  }

  private async notifyIfAllDelivered(manager: EntityManager, cause: Cause): Promise<void> {
    const rows: Array<{ shipment_id: string; delivered: boolean; cancelled: boolean }> = await manager.query(
      `SELECT shipment_id, delivered_at IS NOT NULL AS delivered, cancelled_at IS NOT NULL AS cancelled FROM order_shipment WHERE order_id = $1`,
      [cause.orderId],
    );
    const shipments: TrackedShipment[] = rows.map((row) => ({ shipmentId: row.shipment_id, delivered: row.delivered, cancelled: row.cancelled }));
    if (everyShipmentDelivered(shipments)) await this.notifyOnce(manager, 'delivered', cause);
  }

  /**
   * Records the notification unless one of this kind exists for the order (the unique key decides
   * between concurrent causes), then sends it. It is written SENT, as it will be when the channel
   * takes it (the usual case: no second write), and set FAILED with its retry when the channel
   * does not. `lockOrder` takes the order's lock in the same statement. Returns null when it already existed.
   */
  private async notifyOnce(manager: EntityManager, kind: NotificationKind, cause: Cause, { lockOrder = false } = {}): Promise<NotificationEntity | null> {
    const id = randomUUID();
    const parameters = [cause.orderId, id, kind, this.channel.name, cause.correlationId, cause.type, cause.eventId];
    const inserted: Array<{ created_at: Date; sent_at: Date }> = await manager.query(
      `INSERT INTO notification (id, order_id, kind, channel, status, attempts, correlation_id, caused_by, cause_event_id, sent_at)
       SELECT $2::uuid, $1::text, $3::text, $4::text, 'SENT', 1, $5::text, $6::text, $7::uuid, clock_timestamp()
       ${lockOrder ? lockingTheOrder(1, 8) : ''}
       ON CONFLICT ON CONSTRAINT notification_once_per_kind DO NOTHING
       RETURNING created_at, sent_at`,
      lockOrder ? [...parameters, ORDER_LOCK_CLASS] : parameters,
    );
    if (inserted.length === 0) {
      this.log.info({ orderId: cause.orderId, kind, causedBy: cause.type }, 'notification of this kind already exists; not sent again');
      return null;
    }
    // The row as just inserted: reading it back would cost a round trip for what is known here.
    const notification = manager.create(NotificationEntity, {
      id,
      orderId: cause.orderId,
      kind,
      channel: this.channel.name,
      status: 'SENT',
      attempts: 1,
      lastError: null,
      nextAttemptAt: null,
      correlationId: cause.correlationId,
      causedBy: cause.type,
      causeEventId: cause.eventId,
      createdAt: inserted[0].created_at,
      sentAt: inserted[0].sent_at,
      updatedAt: inserted[0].created_at,
    });
    try {
      this.channel.deliver(notification);
    } catch (error) {
      await this.markFailed(manager, notification, 1, error as Error);
      return notification;
    }
    await this.outbox.store(manager, [this.sentEvent(notification)]);
    return notification;
  }

  /**
   * One delivery attempt: SENT (and NotificationSent in the same transaction), or FAILED with the
   * next try scheduled. The order's notified_order row (GET /milestones?updatedSince=) is touched by
   * a trigger on notification, hand edits included (migration 1764100000000).
   */
  private async attempt(manager: EntityManager, notification: NotificationEntity): Promise<void> {
    const attempts = notification.attempts + 1;
    try {
      this.channel.deliver(notification);
    } catch (error) {
      await this.markFailed(manager, notification, attempts, error as Error);
      return;
    }
    const [sent] = await manager.query(
      `UPDATE notification SET status = 'SENT', attempts = $2, last_error = NULL, next_attempt_at = NULL,
              sent_at = clock_timestamp(), updated_at = clock_timestamp()
        WHERE id = $1 RETURNING sent_at`,
      [notification.id, attempts],
    );
    // Only a record that failed is tried again here: it has been FAILED since its first attempt.
    const sentAt = (sent as Array<{ sent_at: Date }>)[0]?.sent_at;
    if (notification.attempts > 0 && sentAt) {
      observeStateTransition({ machine: 'notification', from: 'FAILED', to: 'SENT', enteredAt: notification.createdAt, leftAt: sentAt });
    }
    await this.outbox.store(manager, [this.sentEvent(notification)]);
    Object.assign(notification, { status: 'SENT', attempts, lastError: null, nextAttemptAt: null });
  }

  /** FAILED after `attempts` attempts, the next one scheduled (the retry sweep takes it). */
  private async markFailed(manager: EntityManager, notification: NotificationEntity, attempts: number, error: Error): Promise<void> {
    const retryInMs = backoffDelay(this.retry, attempts);
    await manager.query(
      `UPDATE notification SET status = 'FAILED', attempts = $2, last_error = $3, sent_at = NULL,
              next_attempt_at = clock_timestamp() + ($4::bigint * interval '1 millisecond'), updated_at = clock_timestamp()
        WHERE id = $1`,
      [notification.id, attempts, error.message, retryInMs],
    );
    this.log.warn({ err: error, notificationId: notification.id, kind: notification.kind, attempts, retryInMs }, 'notification failed; will retry');
    Object.assign(notification, { status: 'FAILED', attempts, lastError: error.message, sentAt: null });
  }

  private sentEvent(notification: NotificationEntity): EventEnvelope<'NotificationSent'> {
    return createEvent(
      'NotificationSent',
      { notificationId: notification.id, kind: notification.kind, channel: notification.channel },
      { orderId: notification.orderId, correlationId: notification.correlationId, causationId: notification.causeEventId, producer: SERVICES.notification },
    );
  }
}
