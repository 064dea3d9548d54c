/**
 * The traffic mix: which request the n-th arrival of a run sends. Each choice derives from
 * (SEED, n) alone, not from which VU runs it, so the same seed gives the same traffic.
 * Pure: no k6 API (vitest checks determinism and the poison fraction).
 */
import type { Clue, Hunt, Player, Treasure } from './catalogue.ts';
import { KINDS, type Kind, type Mix } from './env.ts';

/** A list read by index: a plain array, or packed.ts's view of a k6 SharedArray. */
export interface Indexed<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

/** The catalogue's lists, with the fields the requests use. */
export interface Lists {
  hunts: Indexed<Pick<Hunt, 'id'>>;
  treasures: Indexed<Pick<Treasure, 'id' | 'huntId' | 'priceCents'>>;
  players: Indexed<Player>;
  clues: Indexed<Clue>;
}

/** Poison: valid at the API, fails the consumer's business rules, lands in the DLQ. */
export type Poison = 'unknown-treasure' | 'price-mismatch';

export interface Planned {
  kind: Kind;
  poison: Poison | null;
  /** Route template, used as k6's `name` tag so the URL's ids don't explode tag sets. */
  route: string;
  path: string;
  body: Record<string, string | number>;
}

export const ROUTES: Record<Kind, string> = {
  join: 'POST /hunts/:huntId/players',
  clue: 'POST /hunts/:huntId/clues',
  claim: 'POST /hunts/:huntId/claims',
  order: 'POST /orders',
};

export function planRequest(
  n: number,
  seed: number,
  lists: Lists,
  mix: Mix,
  poisonRate: number,
): Planned {
  const rand = rng(seed, n);
  const pick = <T>(list: Indexed<T>): T => list.at(Math.floor(rand() * list.length))!;
  const player = pick(lists.players);
  // Drawn first and unconditionally, so POISON_RATE changes which requests are poison but
  // never shifts the choices of the others.
  const poisonDraw = rand();
  if (poisonDraw < poisonRate) {
    const treasure = pick(lists.treasures);
    if (rand() < 0.5) {
      const unknown = `tr-unknown-${Math.floor(rand() * 1e6)}`;
      return claim(player, treasure.huntId, unknown, 'unknown-treasure');
    }
    const wrongPrice = treasure.priceCents + 1 + Math.floor(rand() * 500);
    return order(player, treasure, wrongPrice, 'price-mismatch');
  }
  switch (pickKind(mix, rand())) {
    case 'join': {
      const hunt = pick(lists.hunts);
      return {
        kind: 'join',
        poison: null,
        route: ROUTES.join,
        path: `/hunts/${hunt.id}/players`,
        body: { playerId: player.id, displayName: player.displayName },
      };
    }
    case 'clue': {
      const clue = pick(lists.clues);
      return {
        kind: 'clue',
        poison: null,
        route: ROUTES.clue,
        path: `/hunts/${clue.huntId}/clues`,
        body: { playerId: player.id, clueId: clue.id, answer: clue.answer },
      };
    }
    case 'claim': {
      const treasure = pick(lists.treasures);
      return claim(player, treasure.huntId, treasure.id, null);
    }
    case 'order': {
      const treasure = pick(lists.treasures);
      return order(player, treasure, treasure.priceCents, null);
    }
  }
}

function claim(player: Player, huntId: string, treasureId: string, poison: Poison | null): Planned {
  return {
    kind: 'claim',
    poison,
    route: ROUTES.claim,
    path: `/hunts/${huntId}/claims`,
    body: { playerId: player.id, treasureId },
  };
}

function order(
  player: Player,
  t: Pick<Treasure, 'id' | 'huntId'>,
  priceCents: number,
  poison: Poison | null,
): Planned {
  return {
    kind: 'order',
    poison,
    route: ROUTES.order,
    path: '/orders',
    body: { playerId: player.id, huntId: t.huntId, treasureId: t.id, priceCents },
  };
}

function pickKind(mix: Mix, draw: number): Kind {
  const b = boundsOf(mix);
  for (let i = 0; i < KINDS.length; i++) {
    if (draw < b.upTo[i]! && b.weighted[i]) return KINDS[i]!;
  }
  // Float rounding can leave draw just above the last bucket: take the last weighted kind.
  return b.last;
}

interface Bounds {
  /** The running sum of each kind's share, in KINDS order, summed as the draw compares it. */
  upTo: number[];
  weighted: boolean[];
  last: Kind;
}

// Computed once per mix, not per arrival: k6 runs planRequest for every request.
let lastMix: Mix | undefined;
let lastBounds: Bounds | undefined;

function boundsOf(mix: Mix): Bounds {
  if (lastBounds && lastMix === mix) return lastBounds;
  const total = KINDS.reduce((sum, k) => sum + mix[k], 0);
  const upTo: number[] = [];
  let acc = 0;
  for (const k of KINDS) {
    acc += mix[k] / total;
    upTo.push(acc);
  }
  lastMix = mix;
  lastBounds = {
    upTo,
    weighted: KINDS.map((k) => mix[k] > 0),
    last: [...KINDS].reverse().find((k) => mix[k] > 0)!,
  };
  return lastBounds;
}

/** mulberry32 seeded by a hash of (seed, n): tiny, fast, and identical in k6 and Node. */
export function rng(seed: number, n: number): () => number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  let state = (h ^ (h >>> 15)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
