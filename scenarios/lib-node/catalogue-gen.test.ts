import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCatalogue, generateCatalogue } from './catalogue-gen.ts';

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const small = { hunts: 3, treasures: 10, players: 50, clues: 5 };

describe('generateCatalogue', () => {
  it('gives byte-identical JSON for the same seed, different for another', () => {
    const a = formatCatalogue(generateCatalogue(9, small));
    expect(formatCatalogue(generateCatalogue(9, small))).toBe(a);
    expect(formatCatalogue(generateCatalogue(10, small))).not.toBe(a);
  });

  it('reproduces the shipped scenarios/data/default.json from seed 1', () => {
    const shipped = readFileSync(new URL('../data/default.json', import.meta.url), 'utf8');
    expect(formatCatalogue(generateCatalogue(1))).toBe(shipped);
    expect(Buffer.byteLength(shipped)).toBeLessThan(400 * 1024);
  });

  it('writes valid ids, names within the API limits, and consistent references', () => {
    const c = generateCatalogue(1);
    expect(c).toMatchObject({ seed: 1 });
    expect([c.hunts.length, c.treasures.length, c.players.length, c.clues.length]).toEqual([
      20, 200, 2000, 100,
    ]);
    const hunts = new Set(c.hunts.map((h) => h.id));
    for (const list of [c.hunts, c.treasures, c.players, c.clues]) {
      const ids = list.map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(ID);
    }
    for (const p of c.players) expect(p.displayName.length).toBeGreaterThan(0);
    for (const p of c.players) expect(p.displayName.length).toBeLessThanOrEqual(64);
    for (const t of c.treasures) {
      expect(hunts.has(t.huntId)).toBe(true);
      expect(Number.isInteger(t.priceCents) && t.priceCents >= 0).toBe(true);
      expect(Number.isInteger(t.stock) && t.stock >= 1).toBe(true);
    }
    for (const clue of c.clues) expect(clue.answer.length).toBeGreaterThan(0);
    // Several scripts, so the API and the consumer see non-ASCII names.
    expect(c.players.some((p) => /[^ -~]/.test(p.displayName))).toBe(true);
  });

  it('refuses silly sizes', () => {
    expect(() => generateCatalogue(1, { ...small, players: 0 })).toThrow(/players/);
  });
});
