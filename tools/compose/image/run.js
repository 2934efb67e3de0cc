// The image's entry point: starts the app APP names (docker-compose.yml sets it per service), with
// stack traces mapped back to the TypeScript.
'use strict';
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');

process.setSourceMapsEnabled(true);
const app = process.env.APP;
const main = app ? path.join(__dirname, 'apps', path.basename(app), 'src', 'main.js') : null;
if (!main || !existsSync(main)) {
  const apps = readdirSync(path.join(__dirname, 'apps')).join(', ');
  console.error(`APP must name one of this image's apps (${apps}); it is ${app ? `"${app}"` : 'not set'}`);
  process.exit(2);
}
require(main);
