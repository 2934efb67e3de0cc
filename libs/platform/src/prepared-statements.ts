import { Client, type QueryConfig } from 'pg';

/**
 * Distinct statement texts given a name, process-wide. Past this many, further texts run unnamed:
 * every connection keeps each statement it prepared for as long as it lives, so an unbounded set
 * (a text per IN-list length, say) must not grow without end.
 */
export const PREPARED_STATEMENTS_LIMIT = 500;

/** Statement text → its name, the same on every connection of this process. */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly limit = PREPARED_STATEMENTS_LIMIT) {}

  /** The text's name, or undefined once the limit is reached for a text not seen before. */
  nameFor(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= this.limit) return known;
    const name = `s${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}

const processNames = new StatementNames();

/**
 * A pg Client that runs every statement with parameters as a named (prepared) statement: Postgres
 * parses and plans it once per connection instead of on every call, and pg skips sending the Parse
 * after the first time. TypeORM and our own SQL send the same text for the same statement shape, so
 * a handful of names cover the hot paths. Statements without parameters (BEGIN, COMMIT, SET) stay
 * simple queries. Given to the pool as its `Client` (serviceDatabase); off with
 * DATABASE_PREPARED_STATEMENTS=false, for a pooler that cannot keep prepared statements per session.
 */
export class PreparingClient extends Client {
  static names: StatementNames = processNames;

  // pg's overloads (callbacks, submittables) pass through untouched.
  override query(config: unknown, values?: unknown, callback?: unknown): never {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = PreparingClient.names.nameFor(config);
      if (name !== undefined) {
        const named: QueryConfig = { name, text: config, values };
        return (super.query as (...args: unknown[]) => never)(named, callback);
      }
    }
    return (super.query as (...args: unknown[]) => never)(config, values, callback);
  }
}
