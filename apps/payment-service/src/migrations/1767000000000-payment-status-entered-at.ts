import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the payment entered its current status, for the time-in-state histogram: `updated_at` moves
 * with every change of the row and its children, so it cannot say it. Rows older than this
 * migration keep it null (their next transition is not observed) rather than a guessed time;
 * new rows take the moment of their insert.
 */
export class PaymentStatusEnteredAt1767000000000 implements MigrationInterface {
  name = 'PaymentStatusEnteredAt1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE payment ADD COLUMN status_entered_at timestamptz');
    await q.query('ALTER TABLE payment ALTER COLUMN status_entered_at SET DEFAULT now()');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE payment DROP COLUMN status_entered_at');
  }
}
