// The hash routes' state, apart from the app that renders them, so that views can navigate without
// importing the app (which imports the views).
let onReplace = () => undefined;

/** The current route: path and query of the hash (`#/cases?status=OPEN`). */
export function currentRoute() {
  const hash = window.location.hash.replace(/^#/, '') || '/overview';
  const [path, search = ''] = hash.split('?');
  return { path, params: new URLSearchParams(search) };
}

/** Renders with `render` on every route change, including `navigate(..., { replace: true })`, which fires no hashchange. */
export function onRouteChange(render) {
  onReplace = render;
  window.addEventListener('hashchange', () => void render());
}

/** Navigates to `path` with `params` (empty values dropped). */
export function navigate(path, params = {}, { replace = false } = {}) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, value);
  const hash = `#${path}${search.toString() ? `?${search}` : ''}`;
  if (replace) window.history.replaceState(null, '', hash);
  else window.location.hash = hash;
  if (replace) void onReplace();
}
