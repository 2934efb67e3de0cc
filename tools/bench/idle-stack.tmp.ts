import { readFileSync } from 'node:fs';
import { startStack } from '@commerce/stack';
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
(async () => {
  const names = ['order', 'inventory', 'payment', 'shipment', 'notification'];
  const stack = await startStack({ createTopics: true, topicPrefix: 'idle_' + Date.now() + '.', databases: Object.fromEntries(names.map((n) => [n, 'idle_' + n])), logLevel: 'warn', ports: Object.fromEntries(names.map((n) => [n, 0])) } as never);
  await new Promise((r) => setTimeout(r, 30_000));
  const pids = names.map((n) => (stack.pids as Record<string, number>)[n]);
  const before = pids.map(cpu); const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 60_000));
  const after = pids.map(cpu); const s = (Date.now() - t0) / 1000;
  console.log('idle CPU-ms/s', names.map((n, i) => `${n} ${((after[i] - before[i]) / s).toFixed(1)}`).join(', '), 'total', ((after.reduce((a, b) => a + b) - before.reduce((a, b) => a + b)) / s).toFixed(1));
  await stack.stop();
})();
