/**
 * broker-kill on Kinesis: kinesalite is SIGKILLed mid-load and restarted with its streams
 * (kept on disk, as the run asks for), and nothing accepted is lost.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChaosRecord, Summary } from '../../contract/schema.ts';
import { listDaemons } from '../../stack/process.ts';
import { stackDown } from '../../system/stack.ts';
import { componentsOf, hunt, startTestStack, testEnv } from './stack-fixture.ts';

const work = mkdtempSync(join(tmpdir(), 'hunt-kill-'));
const plan = join(work, 'kinesalite-kill.yaml');
writeFileSync(
  plan,
  'description: kinesalite killed for 3 s\nduration: 12s\nsteps:\n  - at: 3s\n    for: 3s\n    kill: { process: broker }\n',
);
const budgets = join(work, 'budgets.yaml');
writeFileSync(budgets, 'lost_events: 0\n');

const env = await testEnv();
afterAll(async () => {
  await stackDown(env.paths, () => {});
});

/** The run brings its own stack up (and down) on these ports and this state dir. */
const huntOwnStack = (args: string[]) => hunt(args, env.env);

describe('broker-kill on kinesis', () => {
  it('restarts kinesalite with its streams; the run loses nothing', async () => {
    const out = join(work, 'run');
    const run = await huntOwnStack([
      'run',
      '--backend',
      'kinesis',
      '--scenario',
      'smoke',
      '--plan',
      plan,
      '--out',
      out,
      '--budgets',
      budgets,
      '--drain-timeout',
      '90',
    ]);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    const summary = Summary.parse(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    expect(summary).toMatchObject({ complete: true, lost: 0 });
    expect(summary.accepted).toBeGreaterThan(20);
    const chaos = ChaosRecord.parse(JSON.parse(readFileSync(join(out, 'chaos.json'), 'utf8')));
    expect(chaos.events[0]).toMatchObject({ kind: 'kill', target: 'kinesalite', error: null });
    expect(chaos.events[0]?.removedAtS).not.toBeNull();
    // The run owned its stack and took it down.
    expect(listDaemons(env.paths.state)).toEqual([]);
  });

  it('refuses to kill kinesalite in a running stack that keeps streams in memory', async () => {
    const stack = await startTestStack(() => {}, { only: componentsOf('kinesis') });
    try {
      const run = await hunt(
        ['run', '--backend', 'kinesis', '--scenario', 'smoke', '--plan', plan],
        stack.env,
      );
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/--kinesis-store disk/);
    } finally {
      await stack.stop();
    }
  });
});
