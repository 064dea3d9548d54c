/**
 * The catalogue in k6: one SharedArray per list, parsed once per test run and shared by
 * every VU (a 2000-player catalogue copied into a thousand VUs would cost real memory),
 * its rows packed into strings (packed.ts) so that a pick parses and freezes no object.
 */
import { SharedArray } from 'k6/data';
import { type Catalogue, checkCatalogue } from './catalogue.ts';
import type { Lists } from './mix.ts';
import { packList, unpackedView } from './packed.ts';

export function loadLists(text: () => string, source: string): Lists {
  let parsed: Catalogue | undefined;
  // Each SharedArray callback runs only in the first VU to need it; parse lazily there.
  const cat = (): Catalogue => {
    parsed ??= checkCatalogue(JSON.parse(text()), source);
    return parsed;
  };
  const list = <K extends keyof Lists>(name: K): Lists[K] =>
    unpackedView(new SharedArray(name, () => packList(cat(), name, source)), name);
  return {
    hunts: list('hunts'),
    treasures: list('treasures'),
    players: list('players'),
    clues: list('clues'),
  };
}

/**
 * A value computed once per test run (in the first VU to ask) and read by every other VU
 * from a SharedArray. Each VU repeating the work (the settings and budgets parsers) compiled
 * their regular expressions again: about a millisecond and 100 KB per VU, with a VU per
 * request held for twice the p99 budget. The value must survive JSON; it comes back frozen.
 */
export function once<T>(name: string, compute: () => T): T {
  let computed: { value: T } | undefined;
  const shared = new SharedArray(name, () => {
    computed = { value: compute() };
    return [computed.value];
  });
  return computed ? computed.value : (shared[0] as T);
}
