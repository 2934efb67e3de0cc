/**
 * Rows grouped by a key, each group in the rows' order: for attaching child rows read in bulk
 * (one query per table for a whole page) to their parents without a scan per parent.
 */
export function groupBy<T>(rows: Iterable<T>, keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
