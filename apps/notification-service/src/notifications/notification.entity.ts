import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NOTIFICATION_KINDS, type NotificationKind } from '@commerce/contracts';
import { NOTIFICATION_STATUSES, type NotificationStatus } from './notification-rules';

/** One customer notification of one kind for one order. */
@Entity('notification')
export class NotificationEntity {
  @ApiProperty({ format: 'uuid', description: 'notificationId' })
  @PrimaryColumn('uuid')
  id!: string;

  @ApiProperty()
  @Column({ name: 'order_id', type: 'text' })
  orderId!: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS })
  @Column({ type: 'text' })
  kind!: NotificationKind;

  @ApiProperty({ example: 'email' })
  @Column({ type: 'text' })
  channel!: string;

  @ApiProperty({ enum: NOTIFICATION_STATUSES })
  @Column({ type: 'text' })
  status!: NotificationStatus;

  @ApiProperty({ description: 'Delivery attempts so far' })
  @Column({ type: 'integer' })
  attempts!: number;

  @ApiPropertyOptional({ nullable: true })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'When a FAILED notification is tried again' })
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @ApiProperty({ description: 'The flow of the order' })
  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @ApiProperty({ example: 'PaymentAuthorized', description: 'The event or command that asked for it' })
  @Column({ name: 'caused_by', type: 'text' })
  causedBy!: string;

  @ApiProperty({ format: 'uuid' })
  @Column({ name: 'cause_event_id', type: 'uuid' })
  causeEventId!: string;

  @ApiProperty()
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ApiPropertyOptional({ nullable: true })
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @ApiProperty()
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
