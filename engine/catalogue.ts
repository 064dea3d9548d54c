import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { EngineConfigError } from './errors.ts';

/** The catalogue `hunt data` writes (docs/contracts.md); the engine needs treasures and prices. */
export const CatalogueSchema = z.looseObject({
  seed: z.number().int(),
  hunts: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  treasures: z.array(
    z.looseObject({
      id: z.string(),
      huntId: z.string(),
      name: z.string(),
      stock: z.number().int().nonnegative(),
      priceCents: z.number().int().nonnegative(),
    }),
  ),
  players: z.array(z.looseObject({ id: z.string(), displayName: z.string() })),
  clues: z.array(z.looseObject({ id: z.string(), huntId: z.string(), answer: z.string() })),
});
export type Catalogue = z.infer<typeof CatalogueSchema>;
export type Treasure = Catalogue['treasures'][number];

export async function loadCatalogue(path: string): Promise<Catalogue> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new EngineConfigError(`--data: cannot read catalogue ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EngineConfigError(`--data: ${path} is not JSON: ${(e as Error).message}`);
  }
  const parsed = CatalogueSchema.safeParse(json);
  if (!parsed.success) {
    throw new EngineConfigError(
      `--data: ${path} is not a catalogue:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** A small catalogue for tests and for running without `hunt data`. */
export function fixtureCatalogue(): Catalogue {
  return {
    seed: 0,
    hunts: [
      { id: 'h1', name: 'Harbour' },
      { id: 'h2', name: 'Old Town' },
    ],
    treasures: [
      { id: 't1', huntId: 'h1', name: 'Brass compass', stock: 5, priceCents: 1500 },
      { id: 't2', huntId: 'h1', name: 'Sea chart', stock: 1000000, priceCents: 250 },
      { id: 't3', huntId: 'h2', name: 'Silver key', stock: 2, priceCents: 9900 },
    ],
    players: [
      { id: 'p1', displayName: 'Ada' },
      { id: 'p2', displayName: 'Björk' },
    ],
    clues: [{ id: 'c1', huntId: 'h1', answer: 'lighthouse' }],
  };
}
