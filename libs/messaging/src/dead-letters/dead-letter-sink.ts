import type { DataSource } from 'typeorm';
import { DEAD_LETTER_HEADERS as DLQ, EVENT_HEADERS, type EventEnvelope, TOPICS } from '@commerce/contracts';
import type { IncomingMessage, MessageProducer } from '../kafka/ports';

/**
 * Parks a message that could not be applied: a row in the service's own database (what the
 * list/replay command reads) and a copy on the shared dead-letter topic (what operators and
 * other tools watch). Throws if either write fails, so the message is not committed as done.
 */
export class DeadLetterSink {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: MessageProducer,
    private readonly consumerName: string,
    private readonly topic: string = TOPICS.deadLetter,
  ) {}

  async record(
    message: IncomingMessage,
    reason: string,
    attempts: number,
    event: Partial<Pick<EventEnvelope, 'eventId' | 'type' | 'orderId'>> = {},
  ): Promise<void> {
    const failedAt = new Date().toISOString();
    await this.dataSource.query(
      `INSERT INTO dead_letter (event_id, event_type, order_id, source_topic, source_partition, source_offset,
                                message_key, message_value, headers, reason, attempts, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)`,
      [
        event.eventId ?? message.headers[EVENT_HEADERS.eventId] ?? null,
        event.type ?? message.headers[EVENT_HEADERS.eventType] ?? null,
        event.orderId ?? message.key,
        message.topic,
        message.partition,
        message.offset,
        message.key,
        message.value,
        JSON.stringify(message.headers),
        reason,
        attempts,
        failedAt,
      ],
    );
    await this.producer.send([
      {
        topic: this.topic,
        key: message.key ?? '',
        value: message.value ?? '',
        headers: {
          ...message.headers,
          [DLQ.reason]: reason.slice(0, 2000),
          [DLQ.attempts]: String(attempts),
          [DLQ.consumerGroup]: this.consumerName,
          [DLQ.originalTopic]: message.topic,
          [DLQ.originalPartition]: String(message.partition),
          [DLQ.originalOffset]: message.offset,
          [DLQ.failedAt]: failedAt,
        },
      },
    ]);
  }
}
