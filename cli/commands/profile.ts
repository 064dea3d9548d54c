/**
 * `hunt profile import FILE`: a CSV of timestamps and counts from a real sale becomes a rate
 * profile the peak-sale scenario replays. `hunt profile show NAME` prints a profile's stages.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../common/user-error.ts';
import { loadFidelityProfile, statedCapacities } from '../../run/fidelity.ts';
import { parseProfile, profileToRamp } from '../../scenarios/lib/profile.ts';
import { formatProfile, importProfileCsv } from '../../scenarios/lib-node/profile-csv.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { intOption, positiveOption } from '../options.ts';

interface ImportFlags {
  scale: string;
  compress: string;
  out?: string;
  name?: string;
  rates?: boolean;
}

export function register(program: Command): void {
  const profile = program
    .command('profile')
    .description('rate profiles for the peak-sale scenario');

  profile
    .command('import <file>')
    .description(
      'turn a CSV of timestamp,count rows (access log buckets, Prometheus export) into a profile',
    )
    .option('--scale <x>', 'multiply every rate, e.g. 0.1 for a smaller machine', '1')
    .option('--compress <x>', 'divide the time axis, e.g. 6 turns an hour into 10 minutes', '1')
    .option('--name <name>', 'profile name (default: the file name)')
    .option(
      '--out <file>',
      "where to write, '-' for stdout (default scenarios/profiles/<name>.json)",
    )
    .option('--rates', 'values are already requests/s, not counts per bucket')
    .action(async (file: string, flags: ImportFlags) => {
      const name = flags.name ?? basename(file, extname(file));
      if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
        throw new UserError(`--name: '${name}' must be letters, digits, '_', '.' or '-'`);
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new UserError(`cannot read ${file}: ${(e as Error).message}`);
      }
      const result = importProfileCsv(text, file, {
        name,
        scale: positiveOption('--scale', flags.scale),
        compress: positiveOption('--compress', flags.compress),
        valuesAreRates: flags.rates === true,
      });
      const json = formatProfile(result);
      const ramp = profileToRamp(result);
      const what = `${result.points.length} points, ${ramp.durationS} s, peak ${ramp.peakRate} requests/s`;
      if (flags.out === '-') {
        process.stdout.write(json);
        console.error(what);
        return;
      }
      const out = resolve(flags.out ?? join(REPO_ROOT, 'scenarios', 'profiles', `${name}.json`));
      await writeFile(out, json);
      console.error(`wrote ${out}: ${what}`);
    });

  profile
    .command('show <profile>')
    .description('print the k6 stages a profile (name or path) turns into, after --scale')
    .option('--scale <x>', 'multiply every rate', '1')
    .option(
      '--fidelity <name>',
      "also print, on stderr, the capacity each service is held to under this fidelity profile (its 'capacity' section)",
    )
    .option('--partitions <n>', 'Kinesis shards of the local stream, with --fidelity', '4')
    .action(
      async (name: string, flags: { scale: string; fidelity?: string; partitions: string }) => {
        const path = /[/\\]|\.json$/.test(name)
          ? name
          : join(REPO_ROOT, 'scenarios', 'profiles', `${name}.json`);
        let json: unknown;
        try {
          json = JSON.parse(await readFile(path, 'utf8'));
        } catch (e) {
          throw new UserError(`cannot read profile ${path}: ${(e as Error).message}`);
        }
        const ramp = profileToRamp(parseProfile(json, path), {
          scale: positiveOption('--scale', flags.scale),
        });
        console.log(JSON.stringify(ramp, null, 2));
        if (flags.fidelity === undefined) return;
        const loaded = loadFidelityProfile(flags.fidelity);
        const partitions = intOption('--partitions', flags.partitions, 1, 64);
        console.error(`burst peak ${ramp.peakRate} requests/s; capacity under ${loaded.file}:`);
        for (const line of statedCapacities(loaded, partitions, process.env))
          console.error(`  ${line}`);
      },
    );
}
