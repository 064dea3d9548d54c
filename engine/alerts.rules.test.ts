import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { defaultConfig } from './config.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** promtool from Debian's prometheus package; installed when missing, as `hunt setup` would. */
function promtool(): string | undefined {
  const found = () =>
    spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
  if (found()) return found();
  if (!spawnSync('sh', ['-c', 'command -v apt-get']).stdout.length) return undefined;
  const opts = {
    stdio: 'ignore' as const,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  };
  spawnSync('apt-get', ['update'], opts);
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], opts);
  return found() || undefined;
}

const tool = promtool();
if (!tool) {
  console.warn(
    '\n*** SKIPPING promtool tests: promtool is missing and apt-get could not install it (no apt?). ***\n',
  );
}

test.runIf(tool)(
  'promtool accepts the rules and their unit tests pass',
  { timeout: 300_000 },
  () => {
    const run = (...args: string[]) => execFileSync(tool!, args, { cwd: here, encoding: 'utf8' });
    expect(run('check', 'rules', 'alerts.rules.yml')).toContain('SUCCESS: 3 rules found');
    expect(run('test', 'rules', 'alerts.rules.test.yml')).toContain('SUCCESS');
  },
);

test('the rules use the engine defaults as thresholds', () => {
  const d = defaultConfig({
    engine: 1,
    kafka: 'x:1',
    kinesis: 'http://x',
    fulfillment: 'http://x',
  });
  const rules = parse(readFileSync(join(here, 'alerts.rules.yml'), 'utf8')).groups[0].rules as {
    alert: string;
    expr: string;
    for?: string;
  }[];
  const by = Object.fromEntries(rules.map((r) => [r.alert, r]));
  expect(by['HuntBacklogCritical']?.expr).toContain(`>= ${d.alertBacklog}`);
  expect(by['HuntBacklogCritical']?.for).toBe(`${d.alertBacklogForS}s`);
  expect(by['HuntBreakerOpen']?.for).toBeUndefined();
  expect(d.alertBreakerForS).toBe(0);
  expect(by['HuntDlqRateHigh']?.expr).toContain(`> ${d.alertDlqRate}`);
});
