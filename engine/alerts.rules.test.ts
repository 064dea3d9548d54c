import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { defaultConfig } from './config.ts';

const here = dirname(fileURLToPath(import.meta.url));

// That promtool accepts the rules and passes their unit tests is
// test/integration/alerts-rules.test.ts: it needs promtool on PATH.
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
