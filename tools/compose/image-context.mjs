#!/usr/bin/env node
// Assembles dist/image, the production image's build context (Dockerfile at its root), on the host:
//   - `nx build` of every app and of tools/infra (the compose stack's topic step), cached by Nx;
//   - production dependencies only (`npm ci --omit=dev` of the lock file), kept in
//     .infra/docker/prod-deps/<hash of the manifests> so an unchanged lock file is installed once;
//   - the compiled apps under apps/, the compiled @commerce libraries under node_modules/@commerce/,
//     the entry point (run.js) and the health check (health.js).
// Nothing is fetched while the image builds: the Dockerfile only copies this folder.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const out = path.join(root, 'dist', 'image');
const log = (message) => console.log(`[image] ${message}`);
const sh = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

const apps = readdirSync(path.join(root, 'apps')).filter((app) => existsSync(path.join(root, 'apps', app, 'src', 'main.ts')));
const projects = [...apps.map((app) => `apps/${app}`), 'tools/infra'];

log(`nx build ${apps.join(' ')} infra`);
sh('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static', '-p', ...apps, 'infra']);

/** The manifests npm ci reads: the lock file, the root package.json and every workspace's. */
function manifests() {
  const workspaces = ['apps', 'libs'].flatMap((dir) => readdirSync(path.join(root, dir)).map((name) => `${dir}/${name}/package.json`));
  return ['package.json', 'package-lock.json', 'tools/stack/package.json', ...workspaces].filter((file) => existsSync(path.join(root, file)));
}

/** What of a manifest npm ci installs from: a new script in package.json keeps the cache. */
function installed(file) {
  const text = readFileSync(path.join(root, file), 'utf8');
  if (!file.endsWith('package.json')) return text;
  const { name, dependencies, devDependencies, optionalDependencies, peerDependencies, workspaces, overrides } = JSON.parse(text);
  return JSON.stringify({ name, dependencies, devDependencies, optionalDependencies, peerDependencies, workspaces, overrides });
}

function productionDependencies() {
  const files = manifests();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(installed(file));
  const dir = path.join(root, '.infra', 'docker', 'prod-deps', hash.digest('hex').slice(0, 16));
  if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules');
  log('npm ci --omit=dev (once per lock file)');
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  for (const file of files) cpSync(path.join(root, file), path.join(tmp, file));
  sh('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], tmp);
  // the workspaces' links: the image gets the compiled libraries in their place
  rmSync(path.join(tmp, 'node_modules', '@commerce'), { recursive: true, force: true });
  rmSync(path.join(tmp, 'node_modules', '.package-lock.json'), { force: true });
  // one lock file's dependencies are kept: those of an older lock file go
  const kept = path.dirname(dir);
  for (const old of readdirSync(kept).filter((name) => name !== path.basename(tmp))) rmSync(path.join(kept, old), { recursive: true, force: true });
  renameSync(tmp, dir);
  return path.join(dir, 'node_modules');
}

const modules = productionDependencies();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// hard links: the dependencies are ~hundreds of MB and never edited in place
sh('cp', ['-al', modules, path.join(out, 'node_modules')]);
for (const project of projects) cpSync(path.join(root, 'dist', project), out, { recursive: true });
for (const file of ['run.js', 'health.js']) cpSync(path.join(import.meta.dirname, 'image', file), path.join(out, file));
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ name: 'commerce-backbone-image', private: true }, null, 2)}\n`);
cpSync(path.join(root, 'Dockerfile'), path.join(out, 'Dockerfile'));
log(`dist/image ready: ${apps.length} apps, ${execFileSync('du', ['-sh', out], { encoding: 'utf8' }).split('\t')[0]}`);
