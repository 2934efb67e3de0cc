import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /milestones?afterOrderId= pages payment by orderId in byte order (the reconciliation
 * service merge-joins the five services' scans): an index in that collation makes each page an
 * index range read, whatever the server's default collation.
 */
export class PaymentByOrderId1764000000000 implements MigrationInterface {
  name = 'PaymentByOrderId1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX payment_by_order_id ON payment (order_id COLLATE "C")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX payment_by_order_id');
  }
}
