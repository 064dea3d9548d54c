/**
 * Streams k6's CSV output (k6-samples.csv.gz): one HDR histogram of the accepted writes'
 * http_req_duration (202s: the headline HTTP latency, so that a backend that sheds more does
 * not look faster), answers by status, sheds by reason, the error rate and dropped
 * iterations. A million-request run is ~14 million CSV rows (2.4 GB unzipped), so the lines
 * of the metrics read here are found by a native byte search, only their fields are decoded
 * into strings, and nothing but the histogram and a few counts stays in memory.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { ReportInputError } from './errors.ts';
import { type Histogram, newHistogram, recordMs } from './hdr.ts';
import type { Summary } from './schema.ts';

export interface K6Samples {
  /** http_req_duration of the 202 answers only. */
  http: Histogram;
  /** Every HTTP answer k6 timed. */
  requests: number;
  /** Answers by status code ('202', '503', '0' for a transport error, ...). */
  byStatus: Record<string, number>;
  /** Sheds (503 whose body said shed) by the engine's reason. */
  shedByReason: Record<string, number>;
  /** Answers that were neither a 202 nor a shed, over all answers; null without hunt_error_rate samples. */
  errorRate: number | null;
  /** The hunt_error_rate samples behind errorRate: a merge over agents adds these. */
  errorCounts: { errors: number; answers: number };
  droppedIterations: number;
  /** Requests sent per unix second (the timestamp of k6's CSV rows). */
  sentPerSecond: Map<number, number>;
}

const WANTED = ['http_req_duration', 'hunt_error_rate', 'hunt_shed', 'dropped_iterations'] as const;
type Wanted = (typeof WANTED)[number];
const PREFIXES = WANTED.map((name) => Buffer.from(`${name},`));
const FIRST_BYTES = new Set(PREFIXES.map((p) => p[0]!));
// Each prefix costs one search through the whole file: hunt_error_rate and hunt_shed share one.
const LINE_PREFIXES = ['http_req_duration,', 'hunt_', 'dropped_iterations,'];

/** Which wanted metric a line starts with, by comparing bytes (no string is made). */
function match(buf: Buffer, start: number, end: number): Wanted | null {
  if (!FIRST_BYTES.has(buf[start]!)) return null;
  outer: for (let m = 0; m < PREFIXES.length; m++) {
    const prefix = PREFIXES[m]!;
    if (end - start < prefix.length) continue;
    for (let i = 0; i < prefix.length; i++) {
      if (buf[start + i] !== prefix[i]) continue outer;
    }
    return WANTED[m]!;
  }
  return null;
}

/** k6 writes unix seconds by default; ms, µs and RFC 3339 are its other time formats. */
export function parseTimestampS(text: string): number {
  const n = Number(text);
  if (Number.isFinite(n) && text !== '') return epochS(n);
  return Date.parse(text) / 1000;
}

/** A numeric k6 timestamp in seconds, whichever of its units it was written in. */
function epochS(n: number): number {
  if (n > 1e14) return n / 1e6;
  if (n > 1e11) return n / 1e3;
  return n;
}

/** The timestamp in buf[from, to), in seconds, its digits read as bytes where it has only digits. */
function timestampAt(buf: Buffer, from: number, to: number): number {
  const n = numberAt(buf, from, to);
  return Number.isFinite(n) && to > from
    ? epochS(n)
    : parseTimestampS(buf.toString('latin1', from, to));
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number in buf[from, to). Plain decimals (digits, one point: all k6 writes for values)
 * are read from the bytes as digits ÷ a power of ten, both exact, so the one rounding is the
 * division's and the result is Number()'s own; anything else goes through Number().
 */
export function numberAt(buf: Buffer, from: number, to: number): number {
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c >= 0x30 && c <= 0x39) {
      m = m * 10 + (c - 0x30);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 0x2e && frac < 0) frac = 0;
    else return Number(buf.toString('latin1', from, to));
  }
  if (digits === 0 || m > Number.MAX_SAFE_INTEGER || frac > 22)
    return Number(buf.toString('latin1', from, to));
  return frac > 0 ? m / POW10[frac]! : m;
}

/** Column positions of k6's CSV header, checked to be k6's. */
export type K6Columns = Record<string, number>;

function readHeader(line: string, file: string, need: readonly string[]): K6Columns {
  const cols = line.trim().split(',');
  if (cols[0] !== 'metric_name' || cols[1] !== 'timestamp' || cols[2] !== 'metric_value') {
    throw new ReportInputError(
      `${file}: expected k6 CSV columns metric_name,timestamp,metric_value first, got "${line.slice(0, 80)}"`,
    );
  }
  // A column a reader needs that is not there would read as empty on every line: an error.
  const missing = need.filter((name) => !cols.includes(name));
  if (missing.length > 0)
    throw new ReportInputError(
      `${file}: k6 CSV header has no column ${missing.join(', ')} (has ${cols.join(',')})`,
    );
  return Object.fromEntries(cols.map((name, i) => [name, i]));
}

/** fieldStart's answer for a line whose fields up to the wanted one include a quoted one. */
const QUOTED = -2;

/**
 * Where field `index` of a line starts, or -1 past the line's end, or QUOTED. A quoted field
 * starts with its quote (k6 writes CSV as Go's encoding/csv does), so only the first byte of
 * each field up to this one is checked: a quote further on cannot shift it. The commas are
 * found by a loop over the bytes: a native search per comma cost more than it saved.
 */
function fieldStart(buf: Buffer, start: number, end: number, index: number): number {
  let at = start;
  for (let i = 0; i < index; i++) {
    if (buf[at] === 0x22) return QUOTED;
    while (at < end && buf[at] !== 0x2c) at++;
    if (at >= end) return -1;
    at++;
  }
  return buf[at] === 0x22 ? QUOTED : at;
}

/** The end of the unquoted field that starts at `from`. */
function fieldEnd(buf: Buffer, from: number, end: number): number {
  let at = from;
  while (at < end && buf[at] !== 0x2c) at++;
  return at;
}

/** Field `index` of a line with a quoted field, by a CSV parser (an error message with a comma). */
function quotedField(buf: Buffer, start: number, end: number, index: number): string {
  const row = parseCsv(buf.toString('utf8', start, end), { relax_column_count: true })[0] as
    | string[]
    | undefined;
  return row?.[index] ?? '';
}

/**
 * Field `index` of one CSV line. Lines without a quote (nearly all) are cut at commas as
 * bytes; a line with a quoted field goes to a CSV parser.
 */
export function fieldAt(buf: Buffer, start: number, end: number, index: number): string {
  if (index < 0) return '';
  const from = fieldStart(buf, start, end, index);
  if (from === QUOTED) return quotedField(buf, start, end, index);
  if (from < 0) return '';
  return buf.toString('utf8', from, fieldEnd(buf, from, end));
}

/** Gunzip's output buffer: each is filled whole before the next is made. */
const GUNZIP_CHUNK = 1 << 20;

/**
 * Frees the memory behind `chunk` at once when it is the last slice of a gunzip output buffer
 * of `size` bytes: gunzip has moved on to a new buffer and nothing else holds this one. Left
 * to the garbage collector, the 2.4 GB a million-request run inflates to set off a full
 * collection every few dozen MB (about 45 over the file) and held those MB until it ran.
 * Any other chunk (a buffer gunzip still writes to, one shared from a pool) is left alone.
 */
export function releaseIfFull(chunk: Buffer, size: number): boolean {
  const ab = chunk.buffer;
  if (!(ab instanceof ArrayBuffer) || ab.byteLength !== size) return false;
  if (chunk.byteOffset + chunk.length !== size) return false;
  // ES2024's transfer (Node 21+), beyond the ES2023 lib the project compiles against.
  (ab as ArrayBuffer & { transfer(length: number): ArrayBuffer }).transfer(0);
  return true;
}

/**
 * Calls `onLine` for every data line of a gzipped k6 CSV file, in file order, with the
 * header's columns; a header without one of the columns `need` names is an error naming the
 * file and column. With `only` (line prefixes, e.g. `http_req_duration,`), just the lines that
 * start with one: each line's first bytes are compared in place, so the lines a reader skips
 * (most of them) cost one native newline search and a byte or two, and no string. `buf` is
 * valid during the call only: its memory is freed once its lines are read (releaseIfFull).
 */
export async function forEachK6Line(
  file: string,
  onLine: (buf: Buffer, start: number, end: number, cols: K6Columns) => void,
  need: readonly string[] = [],
  only?: readonly string[],
): Promise<void> {
  let cols: K6Columns | null = null;
  let carry: Buffer | null = null;
  const heads = only?.map((prefix) => Buffer.from(prefix));
  // One newline search finds every line and its end: a search per prefix through the whole
  // text, then another per line found for its end, cost more than twice as much.
  const firstBytes = new Uint8Array(256);
  for (const h of heads ?? []) firstBytes[h[0]!] = 1;
  const wanted = (buf: Buffer, start: number, end: number) => {
    if (!heads) return true;
    if (firstBytes[buf[start]!] !== 1) return false;
    outer: for (const h of heads) {
      if (end - start < h.length) continue;
      for (let i = 1; i < h.length; i++) if (buf[start + i] !== h[i]) continue outer;
      return true;
    }
    return false;
  };
  const line = (buf: Buffer, start: number, end: number) => {
    if (cols === null) cols = readHeader(buf.toString('utf8', start, end), file, need);
    else if (end > start && wanted(buf, start, end)) onLine(buf, start, end, cols);
  };
  const endOf = (buf: Buffer, nl: number, start: number) =>
    nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
  /** Every whole line of buf[from, stop), stop just after a newline. */
  const lines = (buf: Buffer, from: number, stop: number) => {
    let start = from;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1 && nl < stop; nl = buf.indexOf(0x0a, start)) {
      line(buf, start, endOf(buf, nl, start));
      start = nl + 1;
    }
  };
  const stream = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(
    createGunzip({ chunkSize: GUNZIP_CHUNK }),
  );
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    if (carry) {
      // Only the line split across chunks is joined: copying every chunk behind it cost more.
      const nl = chunk.indexOf(0x0a);
      if (nl === -1) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const joined = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
      lines(joined, 0, joined.length);
      start = nl + 1;
    }
    const stop = chunk.lastIndexOf(0x0a) + 1;
    if (stop > start) lines(chunk, start, stop);
    const rest = Math.max(start, stop);
    carry = rest < chunk.length ? Buffer.from(chunk.subarray(rest)) : null;
    releaseIfFull(chunk, GUNZIP_CHUNK);
  }
  if (carry) line(carry, 0, carry.length);
}

/** Like forEachK6Line, for the lines of one metric only, found by a native search. */
export async function forEachK6Sample(
  file: string,
  metric: string,
  onLine: (buf: Buffer, start: number, end: number, cols: K6Columns) => void,
  need: readonly string[] = [],
): Promise<void> {
  await forEachK6Line(file, onLine, need, [`${metric},`]);
}

/** `k=v&k=v` (k6's extra_tags and metadata columns) → the value of `key`. */
export function tagValue(text: string, key: string): string | undefined {
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq) === key) return pair.slice(eq + 1);
  }
  return undefined;
}

/** summary.json's `answers`: what k6 was answered, by status and by shed reason. */
export function answersOf(s: K6Samples): NonNullable<Summary['answers']> {
  return { total: s.requests, byStatus: s.byStatus, shedByReason: s.shedByReason };
}

function emptyK6Samples(): K6Samples {
  return {
    http: newHistogram(),
    requests: 0,
    byStatus: {},
    shedByReason: {},
    errorRate: null,
    errorCounts: { errors: 0, answers: 0 },
    droppedIterations: 0,
    sentPerSecond: new Map(),
  };
}

/** The columns readK6Samples reads beyond the first three. */
const SAMPLE_COLUMNS = ['status', 'extra_tags'];

/**
 * The status field of an http_req_duration line as a number (0 for none: a transport error),
 * or as text when it is not a plain 1–3 digit code. `from` is where field `index` − 3 starts.
 */
function statusAt(buf: Buffer, start: number, from: number, end: number, index: number) {
  const at = index < 3 || from > end ? -1 : fieldStart(buf, from, end, index - 3);
  if (at === QUOTED) return quotedField(buf, start, end, index) || '0';
  if (at < 0) return 0;
  const to = fieldEnd(buf, at, end);
  let code = 0;
  for (let i = at; i < to; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39 || to - at > 3 || (i === at && c === 0x30 && to - at > 1))
      return buf.toString('utf8', at, to);
    code = code * 10 + c - 0x30;
  }
  return code;
}

export async function readK6Samples(file: string): Promise<K6Samples> {
  const out = emptyK6Samples();
  let answers = 0;
  let errors = 0;
  // Per line, nothing but numbers: statuses are counted by code and named once at the end,
  // and the requests of one second (k6 writes them together) are added to the map at once.
  const byCode = new Float64Array(1000);
  let second = Number.NaN;
  let inSecond = 0;
  const flushSecond = () => {
    if (inSecond > 0)
      out.sentPerSecond.set(second, (out.sentPerSecond.get(second) ?? 0) + inSecond);
  };
  await forEachK6Line(
    file,
    (buf, start, end, cols) => {
      const metric = match(buf, start, end);
      if (!metric) return;
      const tsStart = start + metric.length + 1;
      const tsEnd = fieldEnd(buf, tsStart, end);
      if (tsEnd >= end) return;
      const valueEnd = fieldEnd(buf, tsEnd + 1, end);
      const value = numberAt(buf, tsEnd + 1, valueEnd);
      if (metric === 'http_req_duration') {
        const status = statusAt(buf, start, valueEnd + 1, end, cols.status ?? -1);
        if (typeof status === 'number') byCode[status]!++;
        else out.byStatus[status] = (out.byStatus[status] ?? 0) + 1;
        if (status === 202 || status === '202') recordMs(out.http, value);
        out.requests++;
        const s = Math.floor(timestampAt(buf, tsStart, tsEnd));
        if (s !== second) {
          flushSecond();
          second = s;
          inSecond = 0;
        }
        inSecond++;
      } else if (metric === 'hunt_error_rate') {
        answers++;
        if (value > 0) errors++;
      } else if (metric === 'hunt_shed') {
        const tags = fieldAt(buf, start, end, cols.extra_tags ?? -1);
        const reason = tagValue(tags, 'reason') ?? 'unknown';
        out.shedByReason[reason] = (out.shedByReason[reason] ?? 0) + (value || 1);
      } else {
        out.droppedIterations += Number.isFinite(value) ? value : 0;
      }
    },
    SAMPLE_COLUMNS,
    LINE_PREFIXES,
  );
  flushSecond();
  byCode.forEach((n, code) => {
    if (n > 0) out.byStatus[code] = (out.byStatus[code] ?? 0) + n;
  });
  out.errorRate = answers > 0 ? errors / answers : null;
  out.errorCounts = { errors, answers };
  return out;
}

const addInto = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/**
 * Several agents' samples as one run's: their HDR histograms added (percentiles are read
 * from the sum, never averaged), counts summed, the error rate all errors over all answers.
 * The inputs are left as they were.
 */
export function mergeK6Samples(each: K6Samples[]): K6Samples {
  const out = emptyK6Samples();
  for (const s of each) {
    out.http.add(s.http);
    out.requests += s.requests;
    addInto(out.byStatus, s.byStatus);
    addInto(out.shedByReason, s.shedByReason);
    out.errorCounts.errors += s.errorCounts.errors;
    out.errorCounts.answers += s.errorCounts.answers;
    out.droppedIterations += s.droppedIterations;
    for (const [second, n] of s.sentPerSecond)
      out.sentPerSecond.set(second, (out.sentPerSecond.get(second) ?? 0) + n);
  }
  const { errors, answers } = out.errorCounts;
  out.errorRate = answers > 0 ? errors / answers : null;
  return out;
}

/** Each agent's samples (or the one k6's) and their merge; null when k6 left no samples. */
export async function readK6SamplesOf(
  files: string[],
): Promise<{ each: K6Samples[]; merged: K6Samples } | null> {
  if (files.length === 0) return null;
  const each: K6Samples[] = [];
  // One file at a time: a large run's files are streamed, not held together.
  for (const file of files) each.push(await readK6Samples(file));
  return { each, merged: each.length === 1 ? each[0]! : mergeK6Samples(each) };
}
