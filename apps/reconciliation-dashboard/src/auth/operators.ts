import { sameSecret } from '@commerce/platform';

/** One person allowed into the dashboard: the name the audit trail shows, and their secret token. */
export interface Operator {
  name: string;
  token: string;
}

/** The operators the dashboard knows, looked up by token or by name. */
export class OperatorDirectory {
  private readonly byName: ReadonlyMap<string, Operator>;

  constructor(readonly operators: readonly Operator[]) {
    this.byName = new Map(operators.map((operator) => [operator.name, operator]));
  }

  named(name: string): Operator | undefined {
    return this.byName.get(name);
  }

  /**
   * The operator holding `token`, compared in constant time against every operator (so the time
   * taken says nothing about which token, or how much of it, was right). When `name` is given,
   * the token must also belong to that operator.
   */
  authenticate(token: string, name?: string): Operator | undefined {
    let found: Operator | undefined;
    for (const operator of this.operators) {
      if (sameSecret(token, operator.token)) found = operator;
    }
    if (!found) return undefined;
    if (name !== undefined && name !== '' && name !== found.name) return undefined;
    return found;
  }
}

/** Names end up in an HTTP header (X-Operator) and the audit trail: keep them plain. */
const OPERATOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Tokens travel in a header (Authorization: Bearer) and a form field: printable, no separators. */
const OPERATOR_TOKEN = /^[\x21-\x7e]+$/;

/**
 * Parses `DASHBOARD_OPERATORS`: `alice:token-a,bob:token-b`. Returns the problems instead of
 * throwing, so the config schema can name the setting and say what is wrong with it.
 */
export function parseOperators(value: string): { operators: Operator[]; problems: string[] } {
  const problems: string[] = [];
  const operators: Operator[] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) problems.push('lists no operator; expected name:token[,name:token...]');
  entries.forEach((entry, index) => {
    const separator = entry.indexOf(':');
    const position = `entry ${index + 1}`;
    if (separator <= 0 || separator === entry.length - 1) {
      problems.push(`${position} is not name:token`);
      return;
    }
    const name = entry.slice(0, separator).trim();
    const token = entry.slice(separator + 1).trim();
    if (!OPERATOR_NAME.test(name)) {
      problems.push(`${position}: the name must be 1-64 letters, digits or . _ @ - (starting with a letter or digit)`);
      return;
    }
    if (!OPERATOR_TOKEN.test(token)) {
      problems.push(`${position} (${name}): the token must be printable characters without spaces or commas`);
      return;
    }
    if (operators.some((operator) => operator.name === name)) problems.push(`operator ${name} is listed twice`);
    else if (operators.some((operator) => operator.token === token)) problems.push(`operator ${name} shares a token with another operator`);
    else operators.push({ name, token });
  });
  return { operators, problems };
}
