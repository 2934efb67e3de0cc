import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NOTIFICATION_KINDS, type NotificationKind } from '@commerce/contracts';
import { NOTIFICATION_STATUSES, type NotificationRecord, type NotificationStatus } from './notification-rules';
import type { NotificationEntity } from './notification.entity';

export class NotificationView {
  @ApiProperty({ format: 'uuid' })
  notificationId!: string;
  @ApiProperty()
  orderId!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind!: NotificationKind;
  @ApiProperty({ example: 'email' })
  channel!: string;
  @ApiProperty({ enum: NOTIFICATION_STATUSES })
  status!: NotificationStatus;
  @ApiProperty()
  attempts!: number;
  @ApiPropertyOptional({ nullable: true })
  lastError!: string | null;
  @ApiPropertyOptional({ nullable: true })
  nextAttemptAt!: string | null;
  @ApiProperty({ example: 'PaymentAuthorized' })
  causedBy!: string;
  @ApiProperty()
  createdAt!: string;
  @ApiPropertyOptional({ nullable: true })
  sentAt!: string | null;
  @ApiProperty()
  updatedAt!: string;
}

export function notificationView(n: NotificationEntity): NotificationView {
  return {
    notificationId: n.id,
    orderId: n.orderId,
    kind: n.kind,
    channel: n.channel,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    nextAttemptAt: n.nextAttemptAt?.toISOString() ?? null,
    causedBy: n.causedBy,
    createdAt: n.createdAt.toISOString(),
    sentAt: n.sentAt?.toISOString() ?? null,
    updatedAt: n.updatedAt.toISOString(),
  };
}

/** What a NotificationRecord is made of (the milestones read just these columns). */
export type NotificationRecordSource = Pick<NotificationEntity, 'id' | 'kind' | 'status' | 'channel' | 'attempts' | 'createdAt' | 'sentAt' | 'updatedAt'>;

export function notificationRecord(n: NotificationRecordSource): NotificationRecord {
  return {
    notificationId: n.id,
    kind: n.kind,
    status: n.status,
    channel: n.channel,
    attempts: n.attempts,
    createdAt: n.createdAt.toISOString(),
    sentAt: n.sentAt?.toISOString() ?? null,
    updatedAt: n.updatedAt.toISOString(),
  };
}
