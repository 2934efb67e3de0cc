import { sqlName } from '../order-table';

/** The table of documents (one per database, whatever the service). */
export const MILESTONE_DOCUMENT_TABLE = 'milestone_document';

/** A migration's statements, run one after the other. */
export interface MigrationStatements {
  up: string[];
  down: string[];
}

/**
 * The statements creating the documents table (one per database), keyed like the per-order
 * table's orderId column: uuid, or text compared in byte order (as the range mode orders it).
 */
export function milestoneDocumentStatements(orderIdType: 'uuid' | 'text'): MigrationStatements {
  return {
    up: [
      `CREATE TABLE ${MILESTONE_DOCUMENT_TABLE} (
         order_id ${orderIdType === 'uuid' ? 'uuid' : 'text COLLATE "C"'} PRIMARY KEY,
         source_xmin bigint NOT NULL,
         body text NOT NULL,
         built_at timestamptz NOT NULL
       )`,
    ],
    down: [`DROP TABLE ${MILESTONE_DOCUMENT_TABLE}`],
  };
}

/**
 * The statements adding documents' generations to a database's documents table: a document may be
 * empty (body null: derive the order live), and a trigger on the per-order table empties it and
 * counts its generation up on every UPDATE or DELETE of the order's row, creating an empty one at
 * generation 1 where there was none (so a refresh that read "no document" cannot store over it).
 * `ENABLE ALWAYS`: it fires under `session_replication_role = replica` too. Part of those
 * migrations' meaning: change them only with a new migration, never in place.
 */
export function milestoneDocumentGenerationStatements(source: { table: string; orderIdColumn: string }): MigrationStatements {
  const table = sqlName(source.table);
  const column = sqlName(source.orderIdColumn);
  const fn = `milestone_document_forget_${table}`;
  const forget = (row: 'OLD' | 'NEW') =>
    `INSERT INTO ${MILESTONE_DOCUMENT_TABLE} AS d (order_id, generation) VALUES (${row}.${column}, 1)
       ON CONFLICT (order_id) DO UPDATE SET body = NULL, generation = d.generation + 1;`;
  return {
    up: [
      `ALTER TABLE ${MILESTONE_DOCUMENT_TABLE}
         ALTER COLUMN body DROP NOT NULL,
         ALTER COLUMN source_xmin DROP NOT NULL,
         ALTER COLUMN built_at DROP NOT NULL,
         ADD COLUMN generation bigint NOT NULL DEFAULT 0`,
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.${column} IS NOT NULL THEN
           ${forget('OLD')}
         END IF;
         IF TG_OP = 'UPDATE' AND NEW.${column} IS DISTINCT FROM OLD.${column} AND NEW.${column} IS NOT NULL THEN
           ${forget('NEW')}
         END IF;
         RETURN NULL;
       END $$`,
      `CREATE TRIGGER milestone_document_forget AFTER UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
      `ALTER TABLE ${table} ENABLE ALWAYS TRIGGER milestone_document_forget`,
    ],
    down: [
      `DROP TRIGGER milestone_document_forget ON ${table}`,
      `DROP FUNCTION ${fn}()`,
      `DELETE FROM ${MILESTONE_DOCUMENT_TABLE} WHERE body IS NULL OR source_xmin IS NULL OR built_at IS NULL`,
      `ALTER TABLE ${MILESTONE_DOCUMENT_TABLE}
         DROP COLUMN generation,
         ALTER COLUMN body SET NOT NULL,
         ALTER COLUMN source_xmin SET NOT NULL,
         ALTER COLUMN built_at SET NOT NULL`,
    ],
  };
}

/**
 * Documents in the compact form (@commerce/contracts milestones-compact.ts): those stored in the
 * full form are emptied, so they are derived live until the start-up sweep stores them again,
 * compact. The generation moves, so a refresh of an older instance in flight stores nothing over
 * it. The same for every service's database (the table is the same in each).
 */
export const compactDocumentStatements: MigrationStatements = {
  up: [`UPDATE ${MILESTONE_DOCUMENT_TABLE} SET body = NULL, generation = generation + 1 WHERE body NOT LIKE '[%'`],
  down: [`UPDATE ${MILESTONE_DOCUMENT_TABLE} SET body = NULL, generation = generation + 1 WHERE body LIKE '[%'`],
};
