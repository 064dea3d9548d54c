import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../stack/tools.ts';
import { k6Command, scenarioPath } from './run-k6.ts';

describe('k6Command', () => {
  it('passes settings with -e, keeps the shell out, and writes samples as gzip CSV', () => {
    const cmd = k6Command({
      scenario: 'peak-sale',
      env: { BASE_URL: 'http://127.0.0.1:18080', SEED: '3' },
      resultsDir: '/tmp/results/run-1',
      k6: '/opt/k6',
    });
    expect(cmd.bin).toBe('/opt/k6');
    expect(cmd.args).toEqual([
      'run',
      '--no-usage-report',
      '--include-system-env-vars=false',
      '--quiet',
      '--out',
      'csv=fileName=/tmp/results/run-1/k6-samples.csv.gz,timeFormat=unix_milli',
      '-e',
      'BASE_URL=http://127.0.0.1:18080',
      '-e',
      'SEED=3',
      '-e',
      'HUNT_RESULTS=/tmp/results/run-1',
      `${REPO_ROOT}/scenarios/peak-sale.ts`,
    ]);
    expect(cmd.samples).toBe('/tmp/results/run-1/k6-samples.csv.gz');
  });

  it('refuses unknown settings, unknown scenarios and results paths k6 cannot take', () => {
    expect(() => k6Command({ scenario: 'smoke', env: { RAET: '5' } as never, k6: 'k6' })).toThrow(
      /unknown scenario setting RAET/,
    );
    expect(() => scenarioPath('stress')).toThrow(/unknown scenario 'stress'/);
    expect(() => k6Command({ scenario: 'smoke', resultsDir: 'rel', k6: 'k6' })).toThrow(/absolute/);
    expect(() => k6Command({ scenario: 'smoke', resultsDir: '/a,b', k6: 'k6' })).toThrow(/','/);
  });
});
