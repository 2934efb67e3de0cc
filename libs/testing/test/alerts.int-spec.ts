import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../src';

const run = promisify(execFile);

describe('docs/alerts.yml', () => {
  const file = path.join(repoRoot, 'docs', 'alerts.yml');

  it('passes promtool check rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', file]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('alerts only on metrics that docs/operations.md documents', () => {
    const operations = readFileSync(path.join(repoRoot, 'docs', 'operations.md'), 'utf8');
    const expressions = [...readFileSync(file, 'utf8').matchAll(/expr: (.+)/g)].map((m) => m[1] ?? '');
    const metrics = new Set(expressions.flatMap((expr) => [...expr.matchAll(/\b([a-z]+(?:_[a-z]+)+)\b(?=\{|\[| >| \)|\))/g)].map((m) => m[1] ?? '')));
    expect(metrics.size).toBeGreaterThanOrEqual(6);
    for (const metric of metrics) expect({ metric, documented: operations.includes(`\`${metric}\``) }).toEqual({ metric, documented: true });
  });
});
