/**
 * `hunt data --seed N`: writes the catalogue k6 and the engine both read. The shipped
 * scenarios/data/default.json is `hunt data --seed 1 --out scenarios/data/default.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../common/user-error.ts';
import {
  type CatalogueSizes,
  DEFAULT_SIZES,
  formatCatalogue,
  generateCatalogue,
} from '../../scenarios/lib-node/catalogue-gen.ts';
import { REPO_ROOT } from '../../stack/tools.ts';

interface DataOptions {
  seed: string;
  out?: string;
  hunts: string;
  treasures: string;
  players: string;
  clues: string;
}

export function register(program: Command): void {
  program
    .command('data')
    .description(
      'generate the hunts, treasures, players and clues catalogue from a seed (same seed, same bytes)',
    )
    .option('--seed <n>', 'random seed, a whole number', '1')
    .option('--out <file>', "output file, '-' for stdout (default scenarios/data/seed-<n>.json)")
    .option('--hunts <n>', 'number of hunts', String(DEFAULT_SIZES.hunts))
    .option('--treasures <n>', 'number of treasures', String(DEFAULT_SIZES.treasures))
    .option('--players <n>', 'number of players', String(DEFAULT_SIZES.players))
    .option('--clues <n>', 'number of clues', String(DEFAULT_SIZES.clues))
    .action(async (opts: DataOptions) => {
      const seed = whole('--seed', opts.seed, 0);
      const sizes: CatalogueSizes = {
        hunts: whole('--hunts', opts.hunts, 1),
        treasures: whole('--treasures', opts.treasures, 1),
        players: whole('--players', opts.players, 1),
        clues: whole('--clues', opts.clues, 1),
      };
      const text = formatCatalogue(generateCatalogue(seed, sizes));
      if (opts.out === '-') {
        process.stdout.write(text);
        return;
      }
      const out = resolve(opts.out ?? join(REPO_ROOT, 'scenarios', 'data', `seed-${seed}.json`));
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, text);
      console.error(
        `wrote ${out}: ${sizes.hunts} hunts, ${sizes.treasures} treasures, ` +
          `${sizes.players} players, ${sizes.clues} clues (${(Buffer.byteLength(text) / 1024).toFixed(0)} KB)`,
      );
    });
}

function whole(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > 2 ** 31 - 1) {
    throw new UserError(`${flag}: expected a whole number from ${min}, got '${raw}'`);
  }
  return n;
}
