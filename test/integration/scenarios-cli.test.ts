/**
 * `hunt data` and `hunt profile import` as users run them: the same seed gives the same
 * bytes, and a malformed CSV is refused with its file and line.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfile, profileToRamp } from '../../scenarios/lib/profile.ts';
import { REPO_ROOT } from '../../stack/tools.ts';

const hunt = (...args: string[]) =>
  execa(process.execPath, [join(REPO_ROOT, 'bin', 'hunt.js'), ...args], {
    reject: false,
    cwd: tmp,
  });

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hunt-scenarios-cli-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('hunt data', () => {
  it('writes byte-identical catalogues for the same seed; seed 1 is the shipped default', async () => {
    const a = join(tmp, 'a.json');
    const b = join(tmp, 'b.json');
    expect((await hunt('data', '--seed', '7', '--out', a)).exitCode).toBe(0);
    expect((await hunt('data', '--seed', '7', '--out', b)).exitCode).toBe(0);
    expect(await readFile(a)).toEqual(await readFile(b));
    const one = await hunt('data', '--seed', '1', '--out', '-');
    const shipped = await readFile(join(REPO_ROOT, 'scenarios/data/default.json'), 'utf8');
    expect(one.stdout.trimEnd()).toBe(shipped.trimEnd());
    expect(JSON.parse(await readFile(a, 'utf8')).seed).toBe(7);
  });

  it('refuses a bad seed', async () => {
    const r = await hunt('data', '--seed', 'abc', '--out', '-');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--seed: expected a whole number from 0, got 'abc'");
  });
});

describe('hunt profile import', () => {
  it('turns a CSV of counts into a profile the peak-sale scenario accepts', async () => {
    const csv = join(tmp, 'black-friday.csv');
    await writeFile(
      csv,
      'timestamp,count\n1700000000,3000\n1700000060,60000\n1700000120,30000\n1700000180,6000\n',
    );
    const out = join(tmp, 'black-friday.json');
    const r = await hunt(
      'profile',
      'import',
      csv,
      '--scale',
      '0.5',
      '--compress',
      '3',
      '--out',
      out,
    );
    expect(r.exitCode).toBe(0);
    const profile = parseProfile(JSON.parse(await readFile(out, 'utf8')), out);
    expect(profile.name).toBe('black-friday');
    const ramp = profileToRamp(profile);
    expect(ramp.peakRate).toBe(500);
    expect(ramp.durationS).toBe(80);
  });

  it('rejects a malformed CSV naming the file and line', async () => {
    const csv = join(tmp, 'broken.csv');
    await writeFile(csv, 'timestamp,count\n1700000000,10\n1700000060,lots\n1700000120,5\n');
    const r = await hunt('profile', 'import', csv, '--out', '-');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${csv}:3: 'lots' is not a count`);
    const unsorted = join(tmp, 'unsorted.csv');
    await writeFile(unsorted, '1700000060,10\n1700000000,10\n');
    const u = await hunt('profile', 'import', unsorted, '--out', '-');
    expect(u.exitCode).toBe(2);
    expect(u.stderr).toContain(`${unsorted}:2: timestamp 1700000000 is not after`);
  });
});
