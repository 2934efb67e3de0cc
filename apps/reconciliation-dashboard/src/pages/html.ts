/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * The dashboard's own pages run only their own files: no inline scripts, no third parties.
 * (bull-board under /queues ships its own page and is left out of this policy.)
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

/** The sign-in page: name (optional) and token; `error` is shown above the form. */
export function signInPage(options: { next: string; error?: string; name?: string }): string {
  const error = options.error ? `<p class="signin-error" role="alert">${escapeHtml(options.error)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in · Reconciliation</title>
  <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/assets/theme.css">
  <link rel="stylesheet" href="/assets/signin.css">
</head>
<body class="signin-body">
  <main class="signin-card">
    <div class="brand"><span class="brand-mark" aria-hidden="true"></span>Reconciliation</div>
    <h1>Operator sign-in</h1>
    <p class="muted">Use the token you were given for this environment. Your name is recorded with every action you take.</p>
    ${error}
    <form method="post" action="/signin">
      <input type="hidden" name="next" value="${escapeHtml(options.next)}">
      <label for="name">Operator name <span class="muted">(optional)</span></label>
      <input id="name" name="name" type="text" value="${escapeHtml(options.name ?? '')}" autocomplete="username" autocapitalize="none" spellcheck="false">
      <label for="token">Token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
      <button type="submit" class="btn btn-primary">Sign in</button>
    </form>
  </main>
</body>
</html>
`;
}
