/**
 * Bad input as a new user types it: one line on stderr naming what is wrong, exit 2, no
 * stack trace. No stack runs: each command points at an empty private state dir, and must
 * refuse its input before it would look for one.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../common/exit-codes.ts';
import { hunt, testEnv } from './stack-fixture.ts';

let env: Record<string, string>;
let state: string;

beforeAll(async () => {
  const t = await testEnv();
  env = t.env;
  state = t.paths.state;
});
afterAll(() => rmSync(state, { recursive: true, force: true }));

async function refused(args: string[]): Promise<string> {
  const r = await hunt(args, env);
  expect(r.exitCode, r.stderr).toBe(EXIT.usage);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
  return r.stderr.trim();
}

describe('hunt refuses bad input in one line, exit 2', () => {
  it('hunt chaos quota banana', async () => {
    expect(await refused(['chaos', 'quota', 'banana'])).toBe(
      "hunt: quota mode: expected off, on or a multiplier > 0 such as 0.5, got 'banana'",
    );
  });

  it('hunt run --scenario nope', async () => {
    expect(await refused(['run', '--scenario', 'nope'])).toMatch(
      /^hunt: --scenario: unknown scenario 'nope'; known: smoke, .*peak-sale/,
    );
  });

  it('hunt run --backend memory (the run needs a broker)', async () => {
    expect(await refused(['run', '--backend', 'memory'])).toBe(
      "hunt: --backend: expected kafka or kinesis, got 'memory'",
    );
  });

  it('hunt compare --fidelity nope', async () => {
    expect(await refused(['compare', '--fidelity', 'nope'])).toMatch(
      /^hunt: --fidelity: no profile 'nope': give a file or one of .*aws-provisioned.*loopback/,
    );
  });

  it('hunt run --fidelity with a profile missing a field', async () => {
    mkdirSync(state, { recursive: true });
    const file = join(state, 'bad-fidelity.yaml');
    writeFileSync(file, 'name: x\nversion: 1\ndescription: d\nkafka:\n  brokers: 3\n');
    expect(await refused(['run', '--fidelity', file])).toMatch(
      /^hunt: fidelity profile .*bad-fidelity\.yaml: kafka\.brokers: /,
    );
  });

  it('hunt gate --max-regression lots', async () => {
    expect(
      await refused([
        'gate',
        state,
        '--budgets',
        'scenarios/budgets.yaml',
        '--max-regression',
        'lots',
      ]),
    ).toBe('hunt: --max-regression: expected a percentage, got "lots"');
  });
});
