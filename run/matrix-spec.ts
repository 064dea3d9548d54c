/**
 * What `hunt compare` runs: backends × engine designs, each cell repeated. From the command
 * line (`--backends`, `--designs`, `--repeat`) or a small YAML file (`--matrix`), checked
 * strictly; a bad value is one line naming the flag, or the file and its line (exit 2).
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { formatPath } from '../chaos/plan.ts';
import { UserError } from '../common/user-error.ts';
import { assertProducersFit, MAX_PRODUCERS } from './engines.ts';

export const BACKENDS = ['kafka', 'kinesis'] as const;
export type RunBackend = (typeof BACKENDS)[number];
/** The engine's design presets (`--set design=`). */
export const DESIGNS = ['naive', 'hardened'] as const;
/** The engine's switches, each overriding its design preset. */
export const SWITCHES = [
  'admissionBreaker',
  'producerBreaker',
  'downstreamBreaker',
  'dlq',
  'backlogAlert',
  'boundedQueue',
] as const;

export interface DesignSpec {
  /** The cell's name in directory names, e.g. `naive` or `hardened-no-dlq`. */
  name: string;
  /** Engine settings the design adds, e.g. { design: 'hardened', dlq: 'false' }. */
  settings: Record<string, string>;
  /** Engine instances behind one balancer (the "more producers" stopgap); absent: one. */
  producers?: number;
}

/**
 * The article's stopgaps, each a preset a matrix names like a design (docs/stopgaps.md says
 * why these values).
 */
export const STOPGAPS = {
  /**
   * Bigger batches, a longer linger: a broker call waits up to 100 ms (the top of the 10-100 ms
   * Kafka's producer guidance gives `linger.ms` for throughput; the engine's own is 15) for up
   * to 500 records (PutRecords's cap per call; about 125 KB of events, inside Kafka's
   * guidance of 100-200 KB for `batch.size`).
   */
  batching: { settings: { maxBatch: '500', lingerMs: '100' } },
  /** Two engine instances behind a balancer: this machine has two cores for them. */
  'more-producers': { producers: 2 },
} as const satisfies Record<string, { settings?: Record<string, string>; producers?: number }>;
export type StopgapName = keyof typeof STOPGAPS;
const STOPGAP_NAMES = Object.keys(STOPGAPS) as StopgapName[];

/** A design with stopgaps applied, e.g. `naive-batching`: the preset's settings, then theirs. */
export function withStopgaps(
  name: string,
  design: (typeof DESIGNS)[number],
  stopgaps: readonly StopgapName[],
): DesignSpec {
  const out: DesignSpec = { name, settings: { design } };
  for (const g of stopgaps) {
    const preset: { settings?: Record<string, string>; producers?: number } = STOPGAPS[g];
    Object.assign(out.settings, preset.settings ?? {});
    if (preset.producers !== undefined) out.producers = preset.producers;
  }
  return out;
}

/** Named stopgap rows `--designs` and a matrix file accept beside the two presets. */
export const STOPGAP_DESIGNS: Record<string, DesignSpec> = Object.fromEntries(
  STOPGAP_NAMES.map((g) => [`naive-${g}`, withStopgaps(`naive-${g}`, 'naive', [g])]),
);
const DESIGN_NAMES = [...DESIGNS, ...Object.keys(STOPGAP_DESIGNS)];

export interface MatrixSpec {
  backends: RunBackend[];
  /** Empty: one design, the engine's default, with no design setting. */
  designs: DesignSpec[];
  repeat: number;
}

export interface Cell {
  backend: RunBackend;
  design: DesignSpec | null;
}

export const MAX_REPEAT = 20;

const preset = (name: string): DesignSpec =>
  STOPGAP_DESIGNS[name] ?? { name, settings: { design: name } };

/** `--backends a,b` / `--designs a,b`: a comma list of known names, none twice. */
function names<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item))
      throw new UserError(`${flag}: expected a comma list of ${allowed.join(', ')}, got '${item}'`);
  }
  if (new Set(items).size !== items.length)
    throw new UserError(`${flag}: '${raw}' names a value twice`);
  return items as T[];
}

export function matrixFromFlags(f: {
  backends?: string;
  designs?: string;
  repeat?: string;
}): MatrixSpec {
  const repeat = f.repeat ?? '1';
  const n = Number(repeat);
  if (!Number.isInteger(n) || n < 1 || n > MAX_REPEAT)
    throw new UserError(
      `--repeat: expected a whole number from 1 to ${MAX_REPEAT}, got '${repeat}'`,
    );
  return {
    backends: names('--backends', f.backends ?? BACKENDS.join(','), BACKENDS),
    designs: f.designs === undefined ? [] : names('--designs', f.designs, DESIGN_NAMES).map(preset),
    repeat: n,
  };
}

const Setting = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const DESIGN_KEYS = ['name', 'design', 'switches', 'stopgaps', 'settings', 'producers'];
const DesignEntry = z.union(
  [
    z.enum(DESIGN_NAMES as [string, ...string[]]),
    z.strictObject({
      name: z.string().regex(NAME, 'a name of letters, digits, - and _'),
      design: z.enum(DESIGNS),
      /** Switches that override the preset. */
      switches: z.partialRecord(z.enum(SWITCHES), z.boolean()).optional(),
      /** Stopgap presets (STOPGAPS), applied in order. */
      stopgaps: z.array(z.enum(STOPGAP_NAMES)).optional(),
      /** Engine settings of this row alone, over its stopgaps' (e.g. lingerMs). */
      settings: z.record(z.string(), Setting).optional(),
      /** Engine instances behind one balancer, over a stopgap's. */
      producers: z.number().int().min(1).max(MAX_PRODUCERS).optional(),
    }),
  ],
  {
    error: `expected ${DESIGN_NAMES.join(', ')}, or { name, design, switches, stopgaps, settings, producers }`,
  },
);
const MatrixFile = z.strictObject({
  backends: z.array(z.enum(BACKENDS)).min(1).optional(),
  designs: z.array(DesignEntry).min(1).optional(),
  repeat: z.number().int().min(1).max(MAX_REPEAT).optional(),
  /** Engine settings for every cell, as `--set` gives them. */
  set: z.record(z.string(), Setting).optional(),
});

export interface MatrixFileSpec extends MatrixSpec {
  settings: Record<string, string>;
}

export function parseMatrixFile(text: string, file: string): MatrixFileSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const fail = (line: number | undefined, path: string, message: string): never => {
    throw new UserError(`${file}${line ? `:${line}` : ''}: ${path ? `${path}: ` : ''}${message}`);
  };
  const first = doc.errors[0];
  if (first)
    fail(lines.linePos(first.pos[0]).line, '', first.message.split('\n')[0]!.replace(/:\s*$/, ''));
  const lineOf = (path: PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const parsed = MatrixFile.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = [...issue.path];
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      path.push(issue.keys[0]!);
      const allowed = path.includes('switches')
        ? SWITCHES
        : path.includes('designs')
          ? DESIGN_KEYS
          : Object.keys(MatrixFile.shape);
      message = `unknown key '${issue.keys[0]}' (expected one of ${allowed.join(', ')})`;
    }
    fail(lineOf(path), formatPath(path), message);
  }
  const m = parsed.data!;
  const designs = (m.designs ?? []).map((d): DesignSpec => {
    if (typeof d === 'string') return preset(d);
    const out = withStopgaps(d.name, d.design, d.stopgaps ?? []);
    Object.assign(out.settings, d.settings ?? {}, {
      ...Object.fromEntries(Object.entries(d.switches ?? {}).map(([k, v]) => [k, String(v)])),
    });
    if (d.producers !== undefined) out.producers = d.producers;
    return out;
  });
  const seen = new Set<string>();
  designs.forEach((d, i) => {
    if (seen.has(d.name))
      fail(lineOf(['designs', i]), `designs[${i}]`, `the name '${d.name}' is used twice`);
    seen.add(d.name);
    try {
      assertProducersFit(d.producers ?? 1, { ...m.set, ...d.settings });
    } catch (e) {
      fail(
        lineOf(['designs', i]),
        `designs[${i}]`,
        (e as Error).message.replace(/^--producers /, 'producers '),
      );
    }
  });
  const backends = m.backends ?? [...BACKENDS];
  if (new Set(backends).size !== backends.length)
    fail(lineOf(['backends']), 'backends', 'names a backend twice');
  return { backends, designs, repeat: m.repeat ?? 1, settings: m.set ?? {} };
}

export function loadMatrixFile(file: string): MatrixFileSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `--matrix: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return parseMatrixFile(text, file);
}

/**
 * The runs in order: repeat-major (every cell once before any cell twice), the cells rotated
 * by one each repeat, so that a machine drifting over the session hits every cell alike and
 * no cell always runs first.
 */
export function schedule(m: MatrixSpec): { cell: Cell; repeat: number }[] {
  const designs: (DesignSpec | null)[] = m.designs.length > 0 ? m.designs : [null];
  const cells: Cell[] = m.backends.flatMap((backend) =>
    designs.map((design) => ({ backend, design })),
  );
  const out: { cell: Cell; repeat: number }[] = [];
  for (let r = 0; r < m.repeat; r++)
    for (let i = 0; i < cells.length; i++)
      out.push({ cell: cells[(i + r) % cells.length]!, repeat: r + 1 });
  return out;
}

/** `kafka-naive-2`: a run's directory under the comparison's. */
export function cellDir(c: Cell, repeat: number, repeats: number): string {
  const base = c.design ? `${c.backend}-${c.design.name}` : c.backend;
  return repeats > 1 ? `${base}-${repeat}` : base;
}
