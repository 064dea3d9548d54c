/**
 * Verbs as a user runs them, each a fresh `hunt` process (tsx start-up every time): exit
 * codes and the lines people read. No stack needed; here because each spawn costs a second.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../common/exit-codes.ts';
import { generateResultsDir } from '../../reports/fixtures/generate.ts';
import { REPO_ROOT } from '../../stack/tools.ts';

const hunt = (...args: string[]) =>
  execa(process.execPath, [join(REPO_ROOT, 'bin', 'hunt.js'), ...args], {
    cwd: REPO_ROOT,
    reject: false,
    stdin: 'ignore',
  });

describe('hunt gate', () => {
  const root = mkdtempSync(join(tmpdir(), 'gate-cli-'));
  const dirs = { base: join(root, 'base'), run: join(root, 'run') };
  /** Same shape, HTTP latencies doubled: within a 1 s budget, a 100% regression. */
  const latencies = (scale: number) =>
    Array.from({ length: 4000 }, (_, i) => scale * (2 + (i % 100)));

  beforeAll(async () => {
    for (const [dir, scale] of [
      [dirs.base, 1],
      [dirs.run, 2],
    ] as const) {
      await generateResultsDir(dir, {
        backend: 'kafka',
        requests: 0,
        httpLatenciesMs: latencies(scale),
        durationS: 40,
      });
    }
  });

  it('exits 0 on pass, 1 on a breach or regression, 2 on a bad budgets file', async () => {
    // Before any budget: each outcome has a code of its own (README, "Exit codes").
    expect(new Set(Object.values(EXIT)).size).toBe(Object.values(EXIT).length);
    const budgets = (name: string, text: string) => {
      const file = join(root, name);
      writeFileSync(file, text);
      return file;
    };
    const loose = budgets('loose.yaml', 'http_p99_ms: 1000\nlost_events: 0\n');
    const pass = await hunt('gate', dirs.run, '--budgets', loose);
    expect(pass.exitCode, pass.stderr).toBe(0);
    expect(pass.stdout).toMatch(/gate: PASS/);
    expect(readFileSync(join(dirs.run, 'gate.junit.xml'), 'utf8')).toContain('<testsuites');
    const tight = budgets('tight.yaml', 'http_p99_ms: 10\n');
    const breached = await hunt('gate', dirs.run, '--budgets', tight);
    expect(breached.exitCode).toBe(EXIT.budgets);
    expect(breached.stderr).toMatch(/^hunt: gate: FAIL \(1 of 3 checks\)/m);
    const regressed = await hunt(
      'gate',
      dirs.run,
      '--budgets',
      loose,
      '--baseline',
      dirs.base,
      '--max-regression',
      '20',
    );
    expect(regressed.exitCode).toBe(EXIT.budgets);
    expect(regressed.stdout).toMatch(/FAIL: http_p99_ms = 200 ms regressed/);
    const bad = await hunt('gate', dirs.run, '--budgets', budgets('bad.yaml', 'http_p99: 1\n'));
    expect(bad.exitCode).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/bad\.yaml:1: unknown budget 'http_p99'/);
  });
});

describe('hunt chaos run --dry-run', () => {
  it('prints the timeline of a named plan, and refuses an unknown one', async () => {
    const r = await hunt('chaos', 'run', 'chaos/plans/cascade.yaml', '--dry-run');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('plan cascade (chaos/plans/cascade.yaml) on kafka, 3m');
    const bad = await hunt('chaos', 'run', 'no-such-plan', '--dry-run');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/no plan 'no-such-plan': give a file or one of .*cascade/);
  });
});

describe('hunt itself', () => {
  it("a command-line error is bad input (2), never a budget's 1; help is 0", async () => {
    const unknown = await hunt('chaos', 'run', 'cascade', '--dry-run', '--no-such-option');
    expect(unknown.exitCode, unknown.stderr).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/unknown option '--no-such-option'/);
    const help = await hunt('run', '--help');
    expect(help.exitCode).toBe(EXIT.ok);
    // The table --help prints is the one the README keeps.
    expect(help.stdout).toMatch(
      /Exit codes:\n {2}0 {2}ok: every check passed\n {2}1 {2}a budget was breached/,
    );
  });
});
