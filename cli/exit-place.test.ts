import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = import.meta.dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe("the process's exit code", () => {
  it('is set in cli/main.ts alone (and by the second stop signal in cli/signals.ts); verbs throw their outcome', () => {
    const setters = sources(CLI)
      .filter((f) => /process\.exit(Code\b|\()/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(CLI, f))
      .sort();
    expect(setters).toEqual(['main.ts', 'signals.ts']);
  });
});
