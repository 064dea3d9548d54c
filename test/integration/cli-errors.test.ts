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
      "hunt: quota mode: expected off, on or a multiplier > 0 such as 0.5 (or lie [share]), got 'banana'",
    );
  });

  it('hunt fulfillment --concurrency 0, and error shares above 1', async () => {
    expect(await refused(['fulfillment', '--port', '0', '--concurrency', '0'])).toBe(
      "hunt: --concurrency: Too small: expected number to be >=1, got '0'",
    );
    expect(
      await refused([
        'fulfillment',
        '--port',
        '0',
        '--error-rate-5xx',
        '0.7',
        '--error-rate-4xx',
        '0.6',
      ]),
    ).toBe('hunt: --error-rate-5xx + --error-rate-4xx: must not exceed 1, got 0.7 + 0.6');
  });

  it('hunt run --scenario nope', async () => {
    expect(await refused(['run', '--scenario', 'nope'])).toMatch(
      /^hunt: --scenario: unknown scenario 'nope'; known: smoke, .*peak-sale/,
    );
  });

  it('hunt run --backend memory (the run needs a broker)', async () => {
    expect(await refused(['run', '--backend', 'memory'])).toMatch(
      /^hunt: --backend: memory lives inside the engine, with no broker to fault or audit; use kafka or kinesis/,
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

  it('hunt compare --designs robust', async () => {
    expect(await refused(['compare', '--designs', 'naive,robust'])).toBe(
      "hunt: --designs: expected a comma list of naive, hardened, naive-batching, naive-more-producers, got 'robust'",
    );
  });

  it('hunt compare --matrix with a bad line', async () => {
    const file = join(state, 'matrix.yaml');
    writeFileSync(file, 'backends: [kafka]\ndesigns:\n  - naive\n  - robust\n');
    expect(await refused(['compare', '--matrix', file])).toBe(
      `hunt: ${file}:4: designs[1]: expected naive, hardened, naive-batching, naive-more-producers, or { name, design, switches, stopgaps, settings, producers }`,
    );
  });

  it('hunt compare --matrix and --repeat both', async () => {
    const file = join(state, 'ok.yaml');
    writeFileSync(file, 'repeat: 2\n');
    expect(await refused(['compare', '--matrix', file, '--repeat', '3'])).toBe(
      `hunt: --repeat: the matrix file ${file} sets the matrix; give one or the other`,
    );
  });

  it('hunt run --promise-ms soon', async () => {
    expect(await refused(['run', '--promise-ms', 'soon'])).toBe(
      "hunt: --promise-ms: expected a whole number from 1 to 86400000, got 'soon'",
    );
  });
});
