import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ALL_TOPICS } from '@commerce/contracts';
import { repoRoot } from '../src';

/**
 * tools/infra/config.mjs is plain ESM (infra provisioning runs before anything is compiled), so it
 * keeps its own copy of the topic names; this keeps the copy honest. Jest runs suites as CommonJS
 * and cannot import an ES module without its experimental VM modules, so a child Node imports it.
 * (Partitions are one setting for every topic, KAFKA_PARTITIONS; the list has none of its own.)
 */
function infraTopics(): string[] {
  const url = pathToFileURL(path.join(repoRoot, 'tools', 'infra', 'config.mjs')).href;
  const script = `const { TOPICS } = await import(${JSON.stringify(url)}); console.log(JSON.stringify(TOPICS));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' }));
}

describe('the topics infra provisioning creates', () => {
  it('are exactly the topics of @commerce/contracts, each once', () => {
    const topics = infraTopics();
    expect(new Set(topics).size).toBe(topics.length);
    expect([...topics].sort()).toEqual([...ALL_TOPICS].sort());
  });
});
