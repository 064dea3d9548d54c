/**
 * The catalogue in k6: one SharedArray per list, parsed once per test run and shared by
 * every VU (a 2000-player catalogue copied into a thousand VUs would cost real memory).
 */
import { SharedArray } from 'k6/data';
import { type Catalogue, checkCatalogue } from './catalogue.ts';
import type { Lists } from './mix.ts';

export function loadLists(text: () => string, source: string): Lists {
  let parsed: Catalogue | undefined;
  // Each SharedArray callback runs only in the first VU to need it; parse lazily there.
  const cat = (): Catalogue => {
    parsed ??= checkCatalogue(JSON.parse(text()), source);
    return parsed;
  };
  return {
    hunts: new SharedArray('hunts', () => cat().hunts),
    treasures: new SharedArray('treasures', () => cat().treasures),
    players: new SharedArray('players', () => cat().players),
    clues: new SharedArray('clues', () => cat().clues),
  };
}
