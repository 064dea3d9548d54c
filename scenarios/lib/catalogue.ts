/**
 * The data catalogue `hunt data --seed N` writes and both k6 and the engine read
 * (docs/contracts.md, "Data"). Types and a shape check only; pure.
 */

export interface Hunt {
  id: string;
  name: string;
}
export interface Treasure {
  id: string;
  huntId: string;
  name: string;
  stock: number;
  priceCents: number;
}
export interface Player {
  id: string;
  displayName: string;
}
export interface Clue {
  id: string;
  huntId: string;
  answer: string;
}
export interface Catalogue {
  seed: number;
  hunts: Hunt[];
  treasures: Treasure[];
  players: Player[];
  clues: Clue[];
}

/** Fails with the file name when a catalogue is missing a list or a list is empty. */
export function checkCatalogue(json: unknown, source: string): Catalogue {
  const c = json as Partial<Catalogue> | null;
  if (typeof c !== 'object' || c === null) throw new Error(`${source}: not a catalogue object`);
  for (const key of ['hunts', 'treasures', 'players', 'clues'] as const) {
    const list = c[key];
    if (!Array.isArray(list) || list.length === 0) {
      throw new Error(`${source}: '${key}' must be a non-empty list (regenerate with 'hunt data')`);
    }
  }
  return c as Catalogue;
}
