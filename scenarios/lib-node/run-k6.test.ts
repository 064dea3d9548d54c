import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDaemons, pidAlive, pidFile } from '../../stack/process.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { stackDown, stopStrays } from '../../system/stack.ts';
import { agentDaemon, K6_DAEMON, k6Command, scenarioPath, startK6Daemon } from './run-k6.ts';

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

describe('k6 as a daemon of the state dir', () => {
  // A stand-in for k6: a shell that lives until signalled.
  const fake = (seconds: number) => ({
    bin: 'sh',
    args: ['-c', `sleep ${seconds}`],
    env: {},
  });
  const dirs = () => {
    const root = mkdtempSync(join(tmpdir(), 'hunt-k6-'));
    return { dir: join(root, 'results'), state: join(root, 'state') };
  };

  it('has a pid file while it runs and none once it exited', async () => {
    const { dir, state } = dirs();
    const k6 = await startK6Daemon(fake(0), dir, state);
    expect(listDaemons(state).map((d) => d.name)).toEqual([K6_DAEMON]);
    expect(await k6.exited).toBe(0);
    expect(existsSync(pidFile(state, K6_DAEMON))).toBe(false);
    expect(existsSync(join(dir, 'logs', 'k6.log'))).toBe(true);
  });

  it("is stopped by the next run's start, and by stack down, when its run was killed", async () => {
    const { dir, state } = dirs();
    const orphan = await startK6Daemon(fake(60), dir, state);
    const next = await startK6Daemon(fake(60), dir, state);
    expect(pidAlive(orphan.pid)).toBe(false);
    expect(pidAlive(next.pid)).toBe(true);
    await stackDown({ cache: state, state }, () => {});
    expect(pidAlive(next.pid)).toBe(false);
    expect(listDaemons(state)).toEqual([]);
  });

  it("runs N agents as daemons k6-<i>, each with its log, all stopped as a killed run's leftovers", async () => {
    const { dir, state } = dirs();
    const agents = await Promise.all(
      [0, 1].map((i) =>
        startK6Daemon(fake(60), dir, state, {
          name: agentDaemon(i),
          log: join(dir, 'agents', `agent-${i}`, 'k6.log'),
        }),
      ),
    );
    expect(
      listDaemons(state)
        .map((d) => d.name)
        .sort(),
    ).toEqual(['k6-0', 'k6-1']);
    expect(existsSync(join(dir, 'agents', 'agent-1', 'k6.log'))).toBe(true);
    await stopStrays({ cache: state, state }, () => {});
    for (const a of agents) expect(pidAlive(a.pid)).toBe(false);
    expect(listDaemons(state)).toEqual([]);
  });
});
