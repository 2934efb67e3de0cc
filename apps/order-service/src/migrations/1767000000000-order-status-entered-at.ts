import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the order entered its current status, for the time-in-state histogram: `updated_at` moves
 * with every change of the order and its facts, so it cannot say it. Orders placed before this
 * migration keep it null (their next transition is not observed) rather than a guessed time.
 */
export class OrderStatusEnteredAt1767000000000 implements MigrationInterface {
  name = 'OrderStatusEnteredAt1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE customer_order ADD COLUMN status_entered_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE customer_order DROP COLUMN status_entered_at');
  }
}
