#!/usr/bin/env node
// `nx build` of an app (or tools/infra): its TypeScript and that of every @commerce library it
// imports, compiled to CommonJS with the options `-r @swc-node/register` uses in development (read
// from tsconfig.json, so compiled and registered code cannot drift apart). No type check here: that
// is the `typecheck` target.
//
//   node tools/compose/compile.mjs apps/order-service   ->  dist/apps/order-service/
//     apps/order-service/src/**.js                       the app, public/ beside src when it has one
//     node_modules/@commerce/<lib>/{package.json,src/**.js}  each library it imports, resolvable as at dev time
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { readDefaultTsConfig, tsCompilerOptionsToSwcConfig } = require('@swc-node/register/read-default-tsconfig');
const { transform } = require('@swc-node/core');

const root = path.resolve(import.meta.dirname, '..', '..');
const project = process.argv[2]?.replace(/\/$/, '');
if (!project || !existsSync(path.join(root, project))) {
  console.error('usage: node tools/compose/compile.mjs <project root, e.g. apps/order-service>');
  process.exit(2);
}
const out = path.join(root, 'dist', project);
// Without `paths`: swc would rewrite a library's second entry point (`@commerce/platform/tracing`)
// to a relative path into libs/, which the image has not; left bare, it resolves through the
// compiled library's package.json `exports`, as a library's main entry does.
const tsOptions = { ...readDefaultTsConfig(path.join(root, 'tsconfig.json')), paths: undefined };
const TEST_FILE = /\.(int-)?spec\.ts$/;
const LIBRARY_IMPORT = /(?:from|import|require\()\s*['"]@commerce\/([a-z-]+)/g;

/** The production TypeScript of a folder: no specs, no test/ or bench/ folders. */
function sources(dir, recursive = true) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return recursive && !['test', 'bench', 'node_modules'].includes(entry.name) ? sources(file) : [];
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !TEST_FILE.test(entry.name) ? [file] : [];
  });
}

/** Compiles each file to `<target>/<its path relative to from>.js` (+ map); returns the libraries they import. */
async function compile(files, from, target) {
  const imported = new Set();
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(LIBRARY_IMPORT)) imported.add(match[1]);
    const output = await transform(code, file, tsCompilerOptionsToSwcConfig(tsOptions, file));
    const js = path.join(target, path.relative(from, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(js), { recursive: true });
    writeFileSync(js, output.map ? `${output.code}\n//# sourceMappingURL=${path.basename(js)}.map\n` : output.code);
    if (output.map) writeFileSync(`${js}.map`, output.map);
  }
  return imported;
}

/** A library's package.json pointed at its compiled entry points. */
function compiledManifest(lib) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'libs', lib, 'package.json'), 'utf8'));
  const toJs = (value) => (typeof value === 'string' ? value.replace(/\.ts$/, '.js') : value);
  for (const key of ['main', 'types']) if (manifest[key]) manifest[key] = toJs(manifest[key]);
  if (manifest.exports) manifest.exports = Object.fromEntries(Object.entries(manifest.exports).map(([k, v]) => [k, toJs(v)]));
  delete manifest.types;
  return manifest;
}

rmSync(out, { recursive: true, force: true });
const projectDir = path.join(root, project);
const hasSrc = existsSync(path.join(projectDir, 'src'));
const pending = [...(await compile(hasSrc ? sources(path.join(projectDir, 'src')) : sources(projectDir, false), root, out))];
if (existsSync(path.join(projectDir, 'public'))) cpSync(path.join(projectDir, 'public'), path.join(out, project, 'public'), { recursive: true });

const done = new Set();
while (pending.length > 0) {
  const lib = pending.shift();
  if (done.has(lib)) continue;
  done.add(lib);
  if (!existsSync(path.join(root, 'libs', lib, 'package.json'))) throw new Error(`@commerce/${lib} is imported but libs/${lib} does not exist`);
  const libOut = path.join(out, 'node_modules', '@commerce', lib);
  pending.push(...(await compile(sources(path.join(root, 'libs', lib, 'src')), path.join(root, 'libs', lib), libOut)));
  writeFileSync(path.join(libOut, 'package.json'), `${JSON.stringify(compiledManifest(lib), null, 2)}\n`);
}
console.log(`[build] ${project} -> ${path.relative(root, out)} (libraries: ${[...done].sort().join(', ') || 'none'})`);
