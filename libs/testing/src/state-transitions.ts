import type { HttpResult } from './service-under-test';

/**
 * How many transitions of one state machine a service has observed on `process_state_duration_seconds`,
 * read from its GET /metrics, by `FROM>TO` (`CREATED>DISPATCHED`). Compare two reads to see what happened between.
 */
export async function stateTransitionCounts(service: { http(method: string, path: string): Promise<HttpResult> }, machine: string): Promise<Map<string, number>> {
  const { status, body } = await service.http('GET', '/metrics');
  if (status !== 200) throw new Error(`GET /metrics answered ${status}`);
  const counts = new Map<string, number>();
  const prefix = `process_state_duration_seconds_count{machine="${machine}",`;
  for (const line of (body as string).split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const found = /from="(\w+)",to="(\w+)"\} (\d+)$/.exec(line);
    if (found) counts.set(`${found[1]}>${found[2]}`, Number(found[3]));
  }
  return counts;
}

/** The transitions observed between two reads of `stateTransitionCounts`, those that grew only. */
export function transitionsBetween(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const grown: Record<string, number> = {};
  for (const [key, count] of after) if (count > (before.get(key) ?? 0)) grown[key] = count - (before.get(key) ?? 0);
  return grown;
}
