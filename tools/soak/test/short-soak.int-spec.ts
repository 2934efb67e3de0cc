// A short soak: `npm run soak`'s own script, 600 orders with every fault once, two replicas of
// every app on a three-node cluster of its own (docs/operations.md, The soak). Part of `npm test`;
// SOAK_IN_TESTS=0 leaves it out of a run by hand. The cluster's ports are apart from the tests' broker
// (KAFKA_PORT + 10 onwards, or SOAK_KAFKA_PORT), so the soak never fights the other suites, and the
// cluster is stopped afterwards unless it was running before.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
/** SOAK_ORDERS: fewer for a quick try by hand. */
const ORDERS = Number(process.env['SOAK_ORDERS'] || 600);
/** Orders per second: the two-core machine sustains under 8 with one replica and no faults. */
const RATE = 3;
const PORT = Number(process.env['SOAK_KAFKA_PORT'] || Number(process.env['KAFKA_PORT'] || 19092) + 10);
const FAULTS = 12;

jest.setTimeout(15 * 60_000);

const clusterEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_PORT: String(PORT), KAFKA_CONTROLLER_PORT: String(PORT + 1), KAFKA_NODES: '3', LOG_LEVEL: 'warn' };
  delete env['KAFKA_BROKERS']; // every node of this cluster, from its ports
  return env;
};

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { cwd: ROOT, env: clusterEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const leftOut = process.env['SOAK_IN_TESTS'] === '0';

(leftOut ? describe.skip : describe)('the short soak (SOAK_IN_TESTS=0 leaves it out)', () => {
  let ranBefore = true;

  beforeAll(async () => {
    ranBefore = await listening(PORT);
  });

  afterAll(async () => {
    if (!ranBefore) await run(['-c', 'node tools/infra/infra.mjs kafka-stop']);
  });

  it(`keeps every promise for ${ORDERS} orders while replicas, a broker, Redis and databases fail, events repeat and a group rewinds`, async () => {
    const { code, output } = await run(['tools/scripts/soak.sh', '--orders', String(ORDERS), '--rate', String(RATE), '--drain-timeout', '300']);
    const report = output.slice(output.lastIndexOf('[soak] report of run'));
    const faults = report.split('\n').filter((line) => /^\s+t\+\s*\d+s/.test(line));

    expect({ code, faults: faults.length, failed: faults.filter((line) => line.includes('FAILED')) }).toEqual({ code: 0, faults: FAULTS, failed: [] });
    expect(report).toContain('violations   0');
    expect(report).toContain(`${ORDERS} placed of ${ORDERS}`);
  });
});
