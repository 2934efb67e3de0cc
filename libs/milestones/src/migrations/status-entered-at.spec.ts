import type { QueryRunner } from 'typeorm';
import { statusEnteredAtMigration } from './milestone-migrations';

/** The statements a migration runs, in order, without a database. */
async function statementsOf(migration: { up(q: QueryRunner): Promise<void>; down(q: QueryRunner): Promise<void> }) {
  const ran: { up: string[]; down: string[] } = { up: [], down: [] };
  for (const direction of ['up', 'down'] as const) {
    const recorder = { query: async (sql: string) => void ran[direction].push(sql) } as unknown as QueryRunner;
    await migration[direction](recorder);
  }
  return ran;
}

// The three released migrations as they were written out before the factory (the apps' migrations
// folders call it with these arguments): a database in the field has run exactly these statements.
const RELEASED = [
  {
    name: 'OrderStatusEnteredAt1767000000000',
    table: 'customer_order',
    defaultNow: false,
    up: ['ALTER TABLE customer_order ADD COLUMN status_entered_at timestamptz'],
    down: ['ALTER TABLE customer_order DROP COLUMN status_entered_at'],
  },
  {
    name: 'ReservationStatusEnteredAt1767000000000',
    table: 'reservation',
    defaultNow: true,
    up: ['ALTER TABLE reservation ADD COLUMN status_entered_at timestamptz', 'ALTER TABLE reservation ALTER COLUMN status_entered_at SET DEFAULT now()'],
    down: ['ALTER TABLE reservation DROP COLUMN status_entered_at'],
  },
  {
    name: 'PaymentStatusEnteredAt1767000000000',
    table: 'payment',
    defaultNow: true,
    up: ['ALTER TABLE payment ADD COLUMN status_entered_at timestamptz', 'ALTER TABLE payment ALTER COLUMN status_entered_at SET DEFAULT now()'],
    down: ['ALTER TABLE payment DROP COLUMN status_entered_at'],
  },
];

describe('statusEnteredAtMigration', () => {
  it.each(RELEASED)('builds $name with the statements it was released with', async ({ name, table, defaultNow, up, down }) => {
    const Migration = statusEnteredAtMigration(name, table, { defaultNow });
    expect(await statementsOf(new Migration())).toEqual({ up, down });
  });

  it.each(RELEASED)('keeps the released name of $name, as TypeORM records it and as the class is named', ({ name, table, defaultNow }) => {
    const Migration = statusEnteredAtMigration(name, table, { defaultNow });
    expect(Migration.name).toBe(name);
    expect(new Migration().name).toBe(name);
  });
});
