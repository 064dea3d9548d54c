/**
 * The catalogue as k6 holds it for the mix: each row one string, the fields the requests
 * use joined by a unit separator. A SharedArray hands out a JSON-parsed copy of an element
 * on every read and deep-freezes it when it is an object; a string needs no freezing, so a
 * pick costs a read and a split. Pure: data.ts wraps k6's SharedArrays in these views and
 * vitest checks them from Node.
 */
import type { Catalogue, Clue, Hunt, Player, Treasure } from './catalogue.ts';
import { ScenarioConfigError } from './env.ts';
import type { Indexed, Lists } from './mix.ts';

/** ASCII unit separator: never in an id, a name or an answer the catalogue generator writes. */
export const SEP = '\u001f';

type ListName = keyof Lists;

interface Layout<T> {
  /** The fields kept, in row order; `numbers` are finite numbers, the others strings. */
  fields: readonly string[];
  numbers: readonly string[];
  unpack: (parts: string[]) => T;
}

const LAYOUTS: { [K in ListName]: Layout<Lists[K] extends Indexed<infer T> ? T : never> } = {
  hunts: { fields: ['id'], numbers: [], unpack: (p): Pick<Hunt, 'id'> => ({ id: p[0]! }) },
  treasures: {
    fields: ['id', 'huntId', 'priceCents'],
    numbers: ['priceCents'],
    unpack: (p): Pick<Treasure, 'id' | 'huntId' | 'priceCents'> => ({
      id: p[0]!,
      huntId: p[1]!,
      priceCents: Number(p[2]),
    }),
  },
  players: {
    fields: ['id', 'displayName'],
    numbers: [],
    unpack: (p): Player => ({ id: p[0]!, displayName: p[1]! }),
  },
  clues: {
    fields: ['id', 'huntId', 'answer'],
    numbers: [],
    unpack: (p): Clue => ({ id: p[0]!, huntId: p[1]!, answer: p[2]! }),
  },
};

/** One list's rows as strings; a missing or ill-typed field fails naming the file and field. */
export function packList(cat: Catalogue, name: ListName, source: string): string[] {
  const { fields, numbers } = LAYOUTS[name];
  return (cat[name] as unknown as Record<string, unknown>[]).map((row, i) =>
    fields
      .map((f) => {
        const v = row?.[f];
        const where = `${source}: ${name}[${i}].${f}`;
        if (numbers.includes(f)) {
          if (typeof v !== 'number' || !Number.isFinite(v))
            throw new ScenarioConfigError(`${where} must be a number, got ${JSON.stringify(v)}`);
          return String(v);
        }
        if (typeof v !== 'string' || v.includes(SEP))
          throw new ScenarioConfigError(
            `${where} must be a string without U+001F, got ${JSON.stringify(v)}`,
          );
        return v;
      })
      .join(SEP),
  );
}

/** The mix's view of packed rows (a SharedArray in k6, a plain array in tests). */
export function unpackedView<K extends ListName>(rows: ArrayLike<string>, name: K): Lists[K] {
  const { unpack } = LAYOUTS[name];
  // Read once: each read of a SharedArray's length is a call into k6.
  const length = rows.length;
  return { length, at: (i: number) => unpack(rows[i]!.split(SEP)) } as unknown as Lists[K];
}
