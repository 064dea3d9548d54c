import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../../stack/tools.ts';

/** Prometheus's rule checker, a prerequisite like java (Debian: `apt-get install prometheus`). */
function promtool(): string {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
  // Missing fails rather than skips: a skipped check would read as rules that pass.
  if (!found) throw new Error('promtool is not on PATH (Debian: apt-get install prometheus)');
  return found;
}

test('promtool accepts the alert rules and their unit tests pass', () => {
  const tool = promtool();
  const run = (...args: string[]) =>
    execFileSync(tool, args, { cwd: join(REPO_ROOT, 'engine'), encoding: 'utf8' });
  expect(run('check', 'rules', 'alerts.rules.yml')).toContain('SUCCESS: 3 rules found');
  expect(run('test', 'rules', 'alerts.rules.test.yml')).toContain('SUCCESS');
});
