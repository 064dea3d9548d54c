/**
 * CSV of a real sale → rate profile. Input rows are `timestamp,value`: an access log counted
 * per bucket, or a Prometheus range export. A value is the count of requests in the bucket
 * that starts at its timestamp and ends at the next row's (the last bucket is as wide as the
 * one before), unless `valuesAreRates` says the values are already requests/s.
 */
import { type Profile, ProfileError, type ProfilePoint } from '../lib/profile.ts';

export interface ImportOptions {
  name: string;
  /** Multiplies every rate (0.1 fits a 10x smaller machine). */
  scale?: number;
  /** Divides the time axis (6 turns an hour into ten minutes); rates are kept. */
  compress?: number;
  valuesAreRates?: boolean;
}

interface Row {
  line: number;
  t: number;
  value: number;
}

export function importProfileCsv(text: string, file: string, opts: ImportOptions): Profile {
  const scale = opts.scale ?? 1;
  const compress = opts.compress ?? 1;
  if (!(scale > 0)) throw new ProfileError(`--scale must be above 0, got ${scale}`);
  if (!(compress > 0)) throw new ProfileError(`--compress must be above 0, got ${compress}`);
  const rows = parseRows(text, file);
  const t0 = rows[0]!.t;
  const points: ProfilePoint[] = [];
  let width = rows[1]!.t - t0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const next = rows[i + 1];
    if (next) width = next.t - row.t;
    const rps = (opts.valuesAreRates ? row.value : row.value / width) * scale;
    points.push({ s: round((row.t - t0) / compress), rps: round(rps) });
  }
  // Hold the last bucket's rate to its end, so the profile covers every counted request.
  const last = rows[rows.length - 1]!;
  points.push({ s: round((last.t + width - t0) / compress), rps: points[points.length - 1]!.rps });
  return {
    name: opts.name,
    description: `imported from ${file}${scale !== 1 ? `, scale ${scale}` : ''}${compress !== 1 ? `, compressed ${compress}x` : ''}`,
    points: dropCollinear(points),
  };
}

function parseRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  const lines = text.split(/\r?\n/);
  const headerLine = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fail = (msg: string): never => {
      throw new ProfileError(`${file}:${line}: ${msg}`);
    };
    const cells = raw.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (cells.length !== 2) fail(`expected 2 columns (timestamp,count), got ${cells.length}`);
    const [ts, val] = cells as [string, string];
    const t = parseTimestamp(ts);
    // A header is allowed as the first non-blank line: both its cells are words.
    if (t === null && i === headerLine && Number.isNaN(Number(val || 'x'))) continue;
    if (t === null) fail(`'${ts}' is not a timestamp (unix seconds, unix ms or ISO 8601)`);
    const value = val === '' ? Number.NaN : Number(val);
    if (!Number.isFinite(value) || value < 0) fail(`'${val}' is not a count ≥ 0`);
    const prev = rows[rows.length - 1];
    if (prev && (t as number) <= prev.t) {
      fail(`timestamp ${ts} is not after the previous row's (line ${prev.line}); sort the file`);
    }
    rows.push({ line, t: t as number, value });
  }
  if (rows.length < 2)
    throw new ProfileError(`${file}: needs at least 2 data rows, found ${rows.length}`);
  return rows;
}

/** Seconds since the epoch; numbers above 1e11 are taken as milliseconds. */
export function parseTimestamp(s: string): number | null {
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    return n > 1e11 ? n / 1000 : n;
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) {
    const ms = Date.parse(s.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : ms / 1000;
  }
  return null;
}

/** A point between two of the same rate adds nothing to a linear ramp. */
function dropCollinear(points: ProfilePoint[]): ProfilePoint[] {
  return points.filter((p, i) => {
    const a = points[i - 1];
    const b = points[i + 1];
    return !a || !b || !(a.rps === p.rps && p.rps === b.rps);
  });
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** JSON with one point per line, as the shipped profiles are written. */
export function formatProfile(p: Profile): string {
  const head = [`  "name": ${JSON.stringify(p.name)}`];
  if (p.description !== undefined) head.push(`  "description": ${JSON.stringify(p.description)}`);
  const points = p.points.map((pt) => `    { "s": ${pt.s}, "rps": ${pt.rps} }`).join(',\n');
  return `{\n${head.join(',\n')},\n  "points": [\n${points}\n  ]\n}\n`;
}
