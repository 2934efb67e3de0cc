import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MilestonesSource } from '../source';
import { compactDocumentStatements, milestoneDocumentGenerationStatements, milestoneDocumentStatements, type MigrationStatements } from './document-statements';
import { type OrderChildTable, orderRowTriggers } from './order-row-triggers';
import { orderRowTouchPerRow } from './order-row-touch-per-row';

/** A migration class as TypeORM takes it (`migrations: [...]`). */
export type MigrationClass = new () => MigrationInterface;

/**
 * A migration class named `name` (its class name too: TypeORM records `name`, and the timestamp it
 * sorts by ends it) that runs `statements`. Databases in the field have run these: a released
 * migration keeps its name and its statements forever; a change is a new migration.
 */
function migrationClass(name: string, statements: MigrationStatements): MigrationClass {
  const named = {
    [name]: class implements MigrationInterface {
      readonly name = name;

      async up(q: QueryRunner): Promise<void> {
        for (const statement of statements.up) await q.query(statement);
      }

      async down(q: QueryRunner): Promise<void> {
        for (const statement of statements.down) await q.query(statement);
      }
    },
  };
  return named[name];
}

/** The migration to compact documents, the same (name and statements) in every service's database. */
export const MilestoneDocumentsCompact1764400000000 = migrationClass('MilestoneDocumentsCompact1764400000000', compactDocumentStatements);

/** The names a service's milestones migrations were released under, and what its order-row triggers watch. */
export interface MilestoneMigrationNames {
  /**
   * The triggers keeping the per-order row's `updated_at` true to every change of the order
   * (order-row-triggers.ts): the row's key as its child tables name it, and those tables.
   */
  orderRowTriggers: { name: string; key: string; children: OrderChildTable[]; createMissing?: boolean };
  /** The documents table, keyed like the per-order table's orderId column. */
  documents: string;
  /** The documents' generations and the trigger on the per-order table that empties them. */
  documentGenerations: string;
}

/**
 * Every migration of a service's milestones machinery, in the order they were released: its
 * order-row triggers, its documents table, their generations, the move to compact documents, and
 * the order-row touch as one static function per child table (the same name in every service).
 * The service's own tables stay in its own migrations.
 */
export function milestoneMigrations(source: Pick<MilestonesSource, 'table' | 'orderIdColumn' | 'orderIdType'>, names: MilestoneMigrationNames): MigrationClass[] {
  const { name, key, children, createMissing } = names.orderRowTriggers;
  return [
    migrationClass(name, orderRowTriggers({ table: source.table, key, createMissing }, children)),
    migrationClass(names.documents, milestoneDocumentStatements(source.orderIdType ?? 'text')),
    migrationClass(names.documentGenerations, milestoneDocumentGenerationStatements(source)),
    MilestoneDocumentsCompact1764400000000,
    migrationClass('OrderRowTouchPerRow1766000000000', orderRowTouchPerRow({ table: source.table, key, createMissing }, children)),
  ];
}

/**
 * The migration adding `status_entered_at` to a service's table of its state machine (released as
 * `<Name>StatusEnteredAt1767000000000` in the order, inventory and payment services): when the row
 * entered its current status, for the time-in-state histogram, since `updated_at` moves with every
 * change. Rows older than the migration keep it null (their next transition is not observed) rather
 * than a guessed time. `defaultNow`: new rows take the moment of their insert (for tables whose
 * inserts do not set it).
 */
export function statusEnteredAtMigration(name: string, table: string, options: { defaultNow: boolean }): MigrationClass {
  const up = [`ALTER TABLE ${table} ADD COLUMN status_entered_at timestamptz`];
  if (options.defaultNow) up.push(`ALTER TABLE ${table} ALTER COLUMN status_entered_at SET DEFAULT now()`);
  return migrationClass(name, { up, down: [`ALTER TABLE ${table} DROP COLUMN status_entered_at`] });
}
