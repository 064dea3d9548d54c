import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Catalogue } from './catalogue.ts';
import { DEFAULT_MIX } from './env.ts';
import { planRequest } from './mix.ts';

const cat: Catalogue = JSON.parse(
  readFileSync(new URL('../data/default.json', import.meta.url), 'utf8'),
);
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

describe('planRequest', () => {
  it('gives the same request for the same (seed, n), whatever ran before', () => {
    const a = Array.from({ length: 200 }, (_, n) => planRequest(n, 42, cat, DEFAULT_MIX, 0.05));
    const b = Array.from({ length: 200 }, (_, i) => 199 - i).map((n) =>
      planRequest(n, 42, cat, DEFAULT_MIX, 0.05),
    );
    expect(b.reverse()).toEqual(a);
    expect(planRequest(0, 43, cat, DEFAULT_MIX, 0.05)).not.toEqual(a[0]);
  });

  it('follows the mix and the poison fraction', () => {
    const n = 20_000;
    const counts: Record<string, number> = {};
    let poison = 0;
    for (let i = 0; i < n; i++) {
      const p = planRequest(i, 1, cat, DEFAULT_MIX, 0.1);
      if (p.poison) poison++;
      else counts[p.kind] = (counts[p.kind] ?? 0) + 1;
    }
    expect(poison / n).toBeCloseTo(0.1, 1.5);
    const clean = n - poison;
    for (const [kind, weight] of Object.entries(DEFAULT_MIX)) {
      expect((counts[kind] ?? 0) / clean).toBeCloseTo(weight / 100, 1.5);
    }
  });

  it('builds bodies the engine API accepts, and poison that only the consumer rejects', () => {
    const treasures = new Map(cat.treasures.map((t) => [t.id, t]));
    for (let i = 0; i < 5000; i++) {
      const p = planRequest(i, 3, cat, DEFAULT_MIX, 0.2);
      for (const [key, value] of Object.entries(p.body)) {
        if (key.endsWith('Id')) expect(value).toMatch(ID);
      }
      if (p.poison === 'unknown-treasure') {
        expect(treasures.has(String(p.body.treasureId))).toBe(false);
      } else if (p.poison === 'price-mismatch') {
        const t = treasures.get(String(p.body.treasureId))!;
        expect(p.body.priceCents).not.toBe(t.priceCents);
        expect(p.body.huntId).toBe(t.huntId);
      } else if (p.kind === 'order') {
        expect(p.body.priceCents).toBe(treasures.get(String(p.body.treasureId))!.priceCents);
      }
    }
  });

  it('sends no poison at POISON_RATE=0', () => {
    for (let i = 0; i < 2000; i++) expect(planRequest(i, 1, cat, DEFAULT_MIX, 0).poison).toBeNull();
  });
});

describe('pickKind', () => {
  it('follows each mix when mixes alternate', () => {
    const onlyJoin = { join: 1, clue: 0, claim: 0, order: 0 };
    const onlyOrder = { join: 0, clue: 0, claim: 0, order: 1 };
    for (let i = 0; i < 50; i++) {
      expect(planRequest(i, 1, cat, onlyJoin, 0).kind).toBe('join');
      expect(planRequest(i, 1, cat, onlyOrder, 0).kind).toBe('order');
    }
  });
});
