// Zipkin, the local trace backend: its server jar (io.zipkin:zipkin-server, `exec` classifier)
// resolved from Maven Central into .infra/zipkin-libs/<version>/ and run on the JDK with in-memory
// storage, as the broker is. Where a Zipkin already answers on ZIPKIN_PORT, that one is used.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { javaBinary } from './kafka-jvm';
import { InfraError, isAlive, isOurProcess, log, rel, run, saveStarted, sleep, type StartedState, stopPid, tail, tcpOpen, which } from './processes';
import { INFRA_DIR, REPO_ROOT } from './settings';

const env = process.env;
/** The ONLY place Zipkin's version is pinned (the docker-compose.yml image tag must match; a test checks it). */
export const ZIPKIN_VERSION = '3.6.1';
/** Port of Zipkin's API, UI and span collector (ZIPKIN_PORT). @defaultValue 9411 */
export const ZIPKIN_PORT = Number.parseInt(env['ZIPKIN_PORT'] ?? '', 10) || 9411;
/** `off` leaves Zipkin out of `infra up` (ZIPKIN). @defaultValue 'on' */
export const ZIPKIN_ENABLED = (env['ZIPKIN'] ?? 'on') !== 'off';
/** Zipkin's base URL: its UI, and its API under /api/v2. */
export const ZIPKIN_URL = `http://127.0.0.1:${ZIPKIN_PORT}`;
/** Where the services send their spans (OTEL_EXPORTER_ZIPKIN_ENDPOINT). */
export const ZIPKIN_SPANS_ENDPOINT = `${ZIPKIN_URL}/api/v2/spans`;
/** The marker `isOurProcess` looks for in the JVM's command line. */
const ZIPKIN_MARKER = 'zipkin-server';

export const zipkinPaths = {
  dir: path.join(INFRA_DIR, 'zipkin'),
  log: path.join(INFRA_DIR, 'zipkin', 'zipkin.log'),
  jar: path.join(INFRA_DIR, 'zipkin-libs', ZIPKIN_VERSION, `zipkin-server-${ZIPKIN_VERSION}-exec.jar`),
};

/** Whether a Zipkin answers on its health endpoint. */
export async function probeZipkin(url: string = ZIPKIN_URL): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1500) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false; // not listening: the caller starts one or reports it
  }
}

/** Copies the server jar from Maven Central into .infra/zipkin-libs/<version>/ (skipped when there). */
async function ensureZipkinJar(): Promise<void> {
  if (existsSync(zipkinPaths.jar)) return;
  const mvn = which('mvn');
  if (!mvn) throw new InfraError(`the Zipkin ${ZIPKIN_VERSION} jar is not in ${rel(zipkinPaths.jar)} and "mvn" is not on PATH: install Maven, or set ZIPKIN=off`);
  log('zipkin', `resolving io.zipkin:zipkin-server:${ZIPKIN_VERSION}:exec from Maven Central (first run only)...`);
  const dir = path.dirname(zipkinPaths.jar);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const result = await run(mvn, [
    '-q', '-B', '-Dstyle.color=never', 'dependency:copy',
    `-Dartifact=io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec`, `-DoutputDirectory=${tmp}`,
  ], { cwd: REPO_ROOT, timeoutMs: 15 * 60_000 });
  if (result.code !== 0 || !existsSync(path.join(tmp, path.basename(zipkinPaths.jar)))) {
    rmSync(tmp, { recursive: true, force: true });
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new InfraError(`Maven could not resolve io.zipkin:zipkin-server:${ZIPKIN_VERSION}:exec (exit ${result.code}):\n${output}`);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

/** Uses the Zipkin that answers on ZIPKIN_PORT, else starts one on the JDK (in-memory storage). */
export async function zipkinUp(state: StartedState): Promise<void> {
  if (!ZIPKIN_ENABLED) return;
  if (await probeZipkin()) {
    const ours = isOurProcess(state.zipkin?.pid, ZIPKIN_MARKER);
    log('zipkin', `running at ${ZIPKIN_URL}${ours ? ' (started by this project)' : ''}`);
    return;
  }
  if (await tcpOpen('127.0.0.1', ZIPKIN_PORT)) throw new InfraError(`port ${ZIPKIN_PORT} is in use but Zipkin does not answer there: free it, set ZIPKIN_PORT, or ZIPKIN=off`);
  const java = javaBinary();
  if (!java) throw new InfraError('no Zipkin answers and no "java" to run one: install a JDK 17+, or set ZIPKIN=off');
  await ensureZipkinJar();
  mkdirSync(zipkinPaths.dir, { recursive: true });
  const out = openSync(zipkinPaths.log, 'a');
  const child = spawn(java, ['-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:+ExitOnOutOfMemoryError', '-jar', zipkinPaths.jar], {
    cwd: zipkinPaths.dir,
    detached: true,
    stdio: ['ignore', out, out],
    // STORAGE_TYPE=mem: traces live as long as the process (a development backend, nothing to clean).
    env: { ...env, STORAGE_TYPE: 'mem', QUERY_PORT: String(ZIPKIN_PORT), MEM_MAX_SPANS: '200000' },
  });
  closeSync(out);
  child.on('error', () => undefined); // a failed spawn shows as a server that never answers, reported below
  child.unref();
  state.zipkin = { mode: 'java', pid: child.pid, port: ZIPKIN_PORT, startedAt: new Date().toISOString() };
  saveStarted(state);
  const deadline = Date.now() + 120_000;
  while (!(await probeZipkin())) {
    if (!isAlive(child.pid) || Date.now() > deadline) {
      throw new InfraError(`Zipkin (java pid ${child.pid}) did not answer on ${ZIPKIN_URL}/health:\n${tail(zipkinPaths.log)}`);
    }
    await sleep(500);
  }
  writeFileSync(path.join(zipkinPaths.dir, 'zipkin.pid'), `${child.pid}\n`);
  log('zipkin', `started Zipkin ${ZIPKIN_VERSION} at ${ZIPKIN_URL} (java pid ${child.pid}, log ${rel(zipkinPaths.log)})`);
}

/** Stops the Zipkin `up` started, if any; null when there was none. */
export async function stopOwnZipkin(state: StartedState): Promise<string | null> {
  if (!state.zipkin) return null;
  const { pid } = state.zipkin;
  delete state.zipkin;
  if (!isOurProcess(pid, ZIPKIN_MARKER)) return null;
  return `${await stopPid(pid as number)} (java pid ${pid})`;
}

export async function zipkinStatus(state: StartedState): Promise<void> {
  if (!ZIPKIN_ENABLED) return;
  const ours = isOurProcess(state.zipkin?.pid, ZIPKIN_MARKER) ? ` - started by this project (java pid ${state.zipkin?.pid})` : '';
  log('zipkin', (await probeZipkin()) ? `running     ${ZIPKIN_URL}${ours}` : `not running ${ZIPKIN_URL}`);
}
