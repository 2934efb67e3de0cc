// Calls to the dashboard's own server: /api/* is the reconciliation service (as the signed-in
// operator), /ui-api/* is the dashboard itself.

/** A failed call, carrying the RFC 9457 problem details when the server sent them. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.path = path;
  }

  /** The reconciliation service (or the dashboard) could not be reached at all. */
  get unreachable() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new ApiError(0, { title: 'Dashboard not reachable', detail: `The dashboard server did not answer (${error.message}).` }, path);
  }
  if (response.status === 401) {
    // The session ended (expired, operator removed or token rotated): back to sign-in, then here.
    window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname + window.location.hash)}`);
    throw new ApiError(401, { title: 'Signed out', detail: 'Your session ended; sign in again.' }, path);
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { title: `HTTP ${response.status}`, detail: text.slice(0, 300) };
    }
  }
  if (!response.ok) throw new ApiError(response.status, parsed, path);
  return parsed;
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body = {}) => call('POST', path, body),
};

/** `?a=1&b=2` from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
