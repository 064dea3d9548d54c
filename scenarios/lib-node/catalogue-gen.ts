/**
 * Generates the data catalogue (docs/contracts.md, "Data") with @faker-js/faker from a seed.
 * Same seed and sizes → byte-identical JSON: every Faker instance is seeded from the seed,
 * nothing depends on the clock, and keys are written in a fixed order.
 */
import { base, de, en, es, Faker, fr, ja, pt_BR } from '@faker-js/faker';
import type { Catalogue } from '../lib/catalogue.ts';

export interface CatalogueSizes {
  hunts: number;
  treasures: number;
  players: number;
  clues: number;
}

/** Small enough to ship (~250 KB) and for 2000 distinct players to spread a burst over. */
export const DEFAULT_SIZES: Readonly<CatalogueSizes> = {
  hunts: 20,
  treasures: 200,
  players: 2000,
  clues: 100,
};

// Player names from several locales, so display names exercise non-ASCII text end to end.
const NAME_LOCALES = [en, de, fr, es, pt_BR, ja];

export function generateCatalogue(seed: number, sizes: CatalogueSizes = DEFAULT_SIZES): Catalogue {
  for (const [key, n] of Object.entries(sizes)) {
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new RangeError(`${key}: expected a whole number from 1 to 1000000, got ${n}`);
    }
  }
  const f = new Faker({ locale: [en, base], seed });
  const namers = NAME_LOCALES.map(
    (locale, i) => new Faker({ locale: [locale, en, base], seed: seed * 31 + i }),
  );
  const id = (prefix: string, i: number, n: number) =>
    `${prefix}-${String(i + 1).padStart(String(n).length, '0')}`;

  const hunts = Array.from({ length: sizes.hunts }, (_, i) => ({
    id: id('hunt', i, sizes.hunts),
    name: clip(`${cap(f.word.adjective())} ${f.location.city()} Hunt`, 64),
  }));
  const huntOf = (i: number) => hunts[i % hunts.length]!.id;
  const treasures = Array.from({ length: sizes.treasures }, (_, i) => ({
    id: id('tr', i, sizes.treasures),
    huntId: huntOf(i),
    name: clip(f.commerce.productName(), 64),
    // A few scarce treasures sell out in the first seconds of a sale; most do not.
    stock: f.helpers.weightedArrayElement([
      { weight: 2, value: f.number.int({ min: 1, max: 10 }) },
      { weight: 8, value: f.number.int({ min: 50, max: 5000 }) },
    ]),
    priceCents: f.number.int({ min: 99, max: 49_999 }),
  }));
  const players = Array.from({ length: sizes.players }, (_, i) => {
    const namer = namers[f.number.int({ min: 0, max: namers.length - 1 })]!;
    return { id: id('pl', i, sizes.players), displayName: clip(namer.person.fullName(), 64) };
  });
  const clues = Array.from({ length: sizes.clues }, (_, i) => ({
    id: id('clue', i, sizes.clues),
    huntId: huntOf(i),
    answer: clip(f.word.noun(), 256),
  }));
  return { seed, hunts, treasures, players, clues };
}

/** JSON with one record per line: readable diffs, a third of the size of indented JSON. */
export function formatCatalogue(c: Catalogue): string {
  const list = (items: unknown[]) =>
    `[\n${items.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]`;
  return (
    `{\n  "seed": ${c.seed},\n  "hunts": ${list(c.hunts)},\n  "treasures": ${list(c.treasures)},\n` +
    `  "players": ${list(c.players)},\n  "clues": ${list(c.clues)}\n}\n`
  );
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Cuts at a code point boundary, so a name never ends in half a surrogate pair. */
function clip(s: string, max: number): string {
  const chars = Array.from(s.trim());
  return chars.length <= max ? chars.join('') : chars.slice(0, max).join('').trimEnd();
}
