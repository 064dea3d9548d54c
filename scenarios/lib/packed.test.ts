import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Catalogue } from './catalogue.ts';
import { DEFAULT_MIX } from './env.ts';
import { type Lists, planRequest } from './mix.ts';
import { packList, SEP, unpackedView } from './packed.ts';

const cat: Catalogue = JSON.parse(
  readFileSync(new URL('../data/default.json', import.meta.url), 'utf8'),
);

function packed(c: Catalogue): Lists {
  return {
    hunts: unpackedView(packList(c, 'hunts', 'cat.json'), 'hunts'),
    treasures: unpackedView(packList(c, 'treasures', 'cat.json'), 'treasures'),
    players: unpackedView(packList(c, 'players', 'cat.json'), 'players'),
    clues: unpackedView(packList(c, 'clues', 'cat.json'), 'clues'),
  };
}

describe('packed catalogue rows', () => {
  it('plan the very same requests as the catalogue itself, arrival by arrival', () => {
    const lists = packed(cat);
    for (const [seed, poison, mix] of [
      [1, 0.005, DEFAULT_MIX],
      [7, 0.2, { join: 1, clue: 1, claim: 1, order: 1 }],
    ] as const) {
      for (let n = 0; n < 20_000; n++) {
        expect(planRequest(n, seed, lists, mix, poison)).toEqual(
          planRequest(n, seed, cat, mix, poison),
        );
      }
    }
  });

  it('keep every row and its fields, numbers as numbers', () => {
    const lists = packed(cat);
    expect(lists.players.length).toBe(cat.players.length);
    const last = cat.treasures.length - 1;
    const t = cat.treasures[last]!;
    expect(lists.treasures.at(last)).toEqual({
      id: t.id,
      huntId: t.huntId,
      priceCents: t.priceCents,
    });
    expect(lists.clues.at(0)).toEqual(cat.clues[0]);
  });

  it('refuse a missing or ill-typed field, naming the file and the field', () => {
    const bad = structuredClone(cat);
    (bad.treasures[2] as unknown as Record<string, unknown>).priceCents = '12';
    expect(() => packList(bad, 'treasures', 'cat.json')).toThrow(
      'cat.json: treasures[2].priceCents must be a number, got "12"',
    );
    bad.players[0]!.displayName = `a${SEP}b`;
    expect(() => packList(bad, 'players', 'cat.json')).toThrow(
      /cat\.json: players\[0\]\.displayName/,
    );
  });
});
