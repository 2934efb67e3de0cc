/**
 * What the dashboard may forward to the reconciliation service, and how. Plain functions, so the
 * rules are unit-tested without HTTP.
 */

/** The reconciliation service's resources the dashboard uses (first path segment). */
const FORWARDED_RESOURCES = new Set(['runs', 'cases', 'rules', 'stats', 'orders', 'pipes', 'webhooks']);

/**
 * The upstream path for a dashboard `/api/...` path, or undefined when it is not one the
 * dashboard forwards (unknown resource, dot segments, encoded slashes).
 */
export function upstreamPath(dashboardPath: string): string | undefined {
  if (!dashboardPath.startsWith('/api/')) return undefined;
  const rest = dashboardPath.slice('/api'.length);
  const segments = rest.split('/').slice(1);
  if (segments.length === 0 || !FORWARDED_RESOURCES.has(segments[0] ?? '')) return undefined;
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined; // malformed percent-encoding: not a path the service would understand
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\')) return undefined;
  }
  return rest;
}

/** The body fields through which the reconciliation service is told who acted. */
const IDENTITY_FIELDS = ['actor', 'requestedBy'] as const;

/**
 * Where the service reads the actor of each action from the body (where it prefers the body
 * to the X-Operator header): case actions take `actor`, starting a run takes `requestedBy`.
 */
function identityFieldFor(path: string): (typeof IDENTITY_FIELDS)[number] | undefined {
  if (/^\/cases\/[^/]+\/(resolve|dismiss|reopen|retry-repair)$/.test(path)) return 'actor';
  if (path === '/cases/bulk' || /^\/pipes\/[^/]+\/dead-letters\/replay$/.test(path)) return 'actor';
  if (/^\/webhooks\/deliveries\/[^/]+\/redeliver$/.test(path)) return 'actor';
  if (path === '/runs') return 'requestedBy';
  return undefined;
}

/**
 * The JSON body to forward for an operator's action: the browser never chooses who acted. The
 * signed-in operator is written into the field the service reads for that action, and any other
 * identity field the browser sent is overwritten too (the X-Operator header says the same).
 */
export function attributeBody(path: string, body: unknown, operator: string): unknown {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) return body;
  const copy: Record<string, unknown> = { ...((body ?? {}) as Record<string, unknown>) };
  for (const field of IDENTITY_FIELDS) if (field in copy) copy[field] = operator;
  const field = identityFieldFor(path);
  if (field) copy[field] = operator;
  return copy;
}

/** Request headers passed on to the service (everything else, cookies included, stays here). */
export const FORWARDED_REQUEST_HEADERS = ['accept'] as const;
/** Response headers passed back to the browser. */
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'location'] as const;
