/**
 * Streams k6's CSV output (k6-samples.csv.gz) into one HDR histogram of every request's
 * http_req_duration, the failure rate and dropped iterations. A million-request run is
 * ~13 million CSV rows, so lines are found and filtered as bytes: only the three metrics
 * read here are ever decoded into strings, and nothing but the histogram stays in memory.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { ReportInputError } from './errors.ts';
import { type Histogram, newHistogram, recordMs } from './hdr.ts';

export interface K6Samples {
  http: Histogram;
  requests: number;
  failed: number;
  droppedIterations: number;
  /** Requests sent per unix second (the timestamp of k6's CSV rows). */
  sentPerSecond: Map<number, number>;
}

const WANTED = ['http_req_duration', 'http_req_failed', 'dropped_iterations'] as const;
type Wanted = (typeof WANTED)[number];
const PREFIXES = WANTED.map((name) => Buffer.from(`${name},`));

/** Which wanted metric a line starts with, by comparing bytes (no string is made). */
function match(buf: Buffer, start: number, end: number): Wanted | null {
  const first = buf[start];
  if (first !== 0x68 /* h */ && first !== 0x64 /* d */) return null;
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
  if (Number.isFinite(n) && text !== '') {
    if (n > 1e14) return n / 1e6;
    if (n > 1e11) return n / 1e3;
    return n;
  }
  return Date.parse(text) / 1000;
}

function checkHeader(line: string, file: string): void {
  const cols = line.trim().split(',');
  if (cols[0] !== 'metric_name' || cols[1] !== 'timestamp' || cols[2] !== 'metric_value') {
    throw new ReportInputError(
      `${file}: expected k6 CSV columns metric_name,timestamp,metric_value first, got "${line.slice(0, 80)}"`,
    );
  }
}

export async function readK6Samples(file: string): Promise<K6Samples> {
  const out: K6Samples = {
    http: newHistogram(),
    requests: 0,
    failed: 0,
    droppedIterations: 0,
    sentPerSecond: new Map(),
  };
  let headerSeen = false;
  let carry: Buffer | null = null;
  const onLine = (buf: Buffer, start: number, end: number) => {
    if (!headerSeen) {
      checkHeader(buf.toString('utf8', start, end), file);
      headerSeen = true;
      return;
    }
    const metric = match(buf, start, end);
    if (!metric) return;
    const tsStart = start + metric.length + 1;
    const tsEnd = buf.indexOf(0x2c, tsStart);
    const valueEnd = buf.indexOf(0x2c, tsEnd + 1);
    if (tsEnd < 0 || tsEnd >= end) return;
    const value = Number(
      buf.toString('latin1', tsEnd + 1, valueEnd < 0 || valueEnd > end ? end : valueEnd),
    );
    if (metric === 'http_req_duration') {
      recordMs(out.http, value);
      out.requests++;
      const second = Math.floor(parseTimestampS(buf.toString('latin1', tsStart, tsEnd)));
      out.sentPerSecond.set(second, (out.sentPerSecond.get(second) ?? 0) + 1);
    } else if (metric === 'http_req_failed') {
      if (value > 0) out.failed++;
    } else {
      out.droppedIterations += Number.isFinite(value) ? value : 0;
    }
  };
  const stream = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(
    createGunzip({ chunkSize: 1 << 20 }),
  );
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
      onLine(buf, start, end);
      start = nl + 1;
    }
    carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
  }
  if (carry) onLine(carry, 0, carry.length);
  return out;
}
