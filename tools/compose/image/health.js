// The image's health check, with Node alone (no curl): exits 0 when the app's /health answers 2xx.
'use strict';
const port = process.env.PORT;
fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
