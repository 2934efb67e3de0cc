// `npm run bench:cpu-profiles -- DIR|FILE...`: where each profiled process spent its CPU
// (profile/cpu-profile-summary.ts). Profiles come from `node --cpu-prof`, or from every app of a
// stack with STACK_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" (written when each app exits).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type CpuProfile, summarize } from './profile/cpu-profile-summary';

const inputs = process.argv.slice(2);
if (inputs.length === 0) {
  console.error('usage: npm run bench:cpu-profiles -- <dir with .cpuprofile files | file>...');
  process.exit(2);
}
const files = inputs.flatMap((input) =>
  statSync(input).isDirectory()
    ? readdirSync(input)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => path.join(input, name))
    : [input],
);
const seconds = (value: number) => value.toFixed(2);
for (const file of files) {
  const summary = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  console.log(`\n${file}: ${seconds(summary.totalSeconds)} s sampled, ${seconds(summary.busySeconds)} s busy`);
  console.log('  by place:    ' + summary.byPlace.slice(0, 12).map(([place, s]) => `${place} ${seconds(s)}`).join(' | '));
  console.log('  by function: ' + summary.byFunction.slice(0, 10).map(([name, s]) => `${name} ${seconds(s)}`).join(' | '));
}
