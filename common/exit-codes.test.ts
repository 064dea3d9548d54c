import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EXIT,
  EXIT_MEANING,
  ExitError,
  type ExitName,
  exitCodeOf,
  exitWith,
  K6_THRESHOLDS_FAILED,
} from './exit-codes.ts';
import { UserError } from './user-error.ts';

const names = Object.keys(EXIT) as ExitName[];

describe('exit codes', () => {
  it('give each outcome a code of its own, apart from k6 threshold exit', () => {
    const codes = names.map((n) => EXIT[n]);
    expect(new Set(codes).size, JSON.stringify(EXIT)).toBe(codes.length);
    expect(codes).not.toContain(K6_THRESHOLDS_FAILED);
  });

  it('travel with the error: a user error carries 2, an outcome its own', () => {
    expect(exitCodeOf(new UserError('bad'))).toBe(EXIT.usage);
    expect(exitCodeOf(new ExitError(EXIT.failed, 'a chaos step failed'))).toBe(EXIT.failed);
    expect(exitCodeOf(new Error('a bug'))).toBeNull();
  });

  it('exitWith returns on ok and throws every other outcome with its code', () => {
    expect(() => exitWith(EXIT.ok, 'run x')).not.toThrow();
    for (const name of names.filter((n) => n !== 'ok')) {
      let thrown: unknown;
      try {
        exitWith(EXIT[name], 'run x');
      } catch (e) {
        thrown = e;
      }
      expect(exitCodeOf(thrown), name).toBe(EXIT[name]);
      expect((thrown as Error).message).toBe(`run x: ${EXIT_MEANING[name]} (exit ${EXIT[name]})`);
    }
    expect(() => exitWith(42, 'run x')).toThrow(/42 is not one of hunt's exit codes/);
  });

  it("are listed in the README's table, one row per code with its meaning", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Exit codes'));
    const rows = new Map(
      [...section.matchAll(/^\| `(\d+)` +\| (.+?) +\|$/gm)].map((m) => [Number(m[1]), m[2]]),
    );
    for (const name of names) expect(rows.get(EXIT[name]), name).toBe(EXIT_MEANING[name]);
    expect(rows.get(K6_THRESHOLDS_FAILED)).toMatch(/k6/);
  });
});
