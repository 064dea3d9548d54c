import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { K6_HEADER } from '../reports/fixtures/k6-rows.ts';
import {
  fieldAt,
  forEachK6Line,
  numberAt,
  parseTimestampS,
  readK6Samples,
  releaseIfFull,
} from './k6-samples.ts';

const dir = mkdtempSync(join(tmpdir(), 'k6-samples-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, gzipSync(text));
  return file;
};
const tags = ',,,,true,,POST,"http://x/a,b",HTTP/1.1,peak,,202,,,http://x/a,,';

describe('readK6Samples', () => {
  it('keeps 202 latencies apart from sheds and errors, counting each answer by status', async () => {
    const row = (status: number) => tags.replace(',202,', `,${status},`);
    const lines = [
      K6_HEADER,
      `http_reqs,1700000000,1${tags}`,
      `http_req_duration,1700000000,1.250000${tags}`,
      `http_req_waiting,1700000000,999${tags}`,
      `http_req_duration,1700000001,2.500000${tags}`,
      // A fast shed and a transport error whose message holds a comma: neither is a 202.
      `http_req_duration,1700000001,0.300000${row(503)}`,
      `http_req_duration,1700000001,0.000000,,"dial tcp: refused, again",1212,false,,POST,http://x/a,,peak,,0,,,http://x/a,,event_id=e9`,
      `hunt_shed,1700000001,1,,,,,,,,,peak,,,,,,kind=claim&reason=backlog-critical,`,
      `hunt_error_rate,1700000001,0,,,,,,,,,peak,,,,,,,`,
      `hunt_error_rate,1700000001,1,,,,,,,,,peak,,,,,,,`,
      `hunt_error_rate,1700000001,0,,,,,,,,,peak,,,,,,,`,
      `hunt_error_rate,1700000001,0,,,,,,,,,peak,,,,,,,`,
      'dropped_iterations,1700000001,3,,,,,,,,,peak,,,,,,,',
      `http_req_duration,1700000001,100${tags}`,
    ];
    const s = await readK6Samples(write('a.csv.gz', `${lines.join('\r\n')}\r\n`));
    expect(s.requests).toBe(5);
    expect(s.byStatus).toEqual({ '202': 3, '503': 1, '0': 1 });
    expect(s.http.totalCount).toBe(3);
    expect(s.http.minNonZeroValue).toBeGreaterThanOrEqual(1_249);
    expect(s.shedByReason).toEqual({ 'backlog-critical': 1 });
    expect(s.errorRate).toBe(0.25);
    expect(s.droppedIterations).toBe(3);
    expect(s.http.maxValue).toBeGreaterThanOrEqual(100_000);
    expect(s.http.maxValue).toBeLessThan(100_100);
    expect([...s.sentPerSecond]).toEqual([
      [1700000000, 1],
      [1700000001, 4],
    ]);
  });

  it('reads a last line without a newline', async () => {
    const s = await readK6Samples(
      write('b.csv.gz', `${K6_HEADER}\nhttp_req_duration,1700000000,5${tags}`),
    );
    expect(s.requests).toBe(1);
  });

  it('rejects a file that is not k6 CSV output', async () => {
    await expect(readK6Samples(write('c.csv.gz', 'a,b,c\n1,2,3\n'))).rejects.toThrow(
      /c\.csv\.gz: expected k6 CSV columns/,
    );
  });

  it('counts any status as written: two-digit, quoted, empty (a transport error) or odd', async () => {
    const row = (status: string) =>
      `,,,,true,,POST,http://x/a,HTTP/1.1,peak,,${status},,,http://x/a,,`;
    const lines = [
      K6_HEADER,
      `http_req_duration,1700000000,1${row('99')}`,
      `http_req_duration,1700000000,1${row('"202"')}`,
      `http_req_duration,1700000000,1${row('')}`,
      `http_req_duration,1700000000,1${row('0')}`,
      `http_req_duration,1700000000,1${row('0202')}`,
      `http_req_duration,1700000000,1${row('2020')}`,
      // k6's RFC 3339 time format and a value in exponent notation take the slow path.
      `http_req_duration,2023-11-14T22:13:20Z,1e3${row('202')}`,
    ];
    const s = await readK6Samples(write('d.csv.gz', `${lines.join('\n')}\n`));
    expect(s.byStatus).toEqual({ '0': 2, '99': 1, '202': 2, '0202': 1, '2020': 1 });
    expect(s.http.totalCount).toBe(2);
    expect(s.http.maxValue).toBeGreaterThanOrEqual(1_000_000);
    expect([...s.sentPerSecond]).toEqual([[1700000000, 7]]);
  });

  it('reads values from bytes exactly as Number() reads their text', () => {
    const texts = [
      '0',
      '0.000000',
      '1.250000',
      '12.345678',
      '0.1',
      '123456.789012',
      '9007199254740993',
    ];
    const more = Array.from({ length: 2000 }, (_, i) => ((i * 7919) / 997).toFixed(6));
    for (const t of [...texts, ...more, '1e3', '-2.5', '', '.', '1.2.3', ' 7'])
      expect(Object.is(numberAt(Buffer.from(`x${t},`), 1, t.length + 1), Number(t))).toBe(true);
  });

  it('understands every k6 time format', () => {
    expect(parseTimestampS('1700000000')).toBe(1700000000);
    expect(parseTimestampS('1700000000123')).toBeCloseTo(1700000000.123);
    expect(parseTimestampS('1700000000123456')).toBeCloseTo(1700000000.123456);
    expect(parseTimestampS('2023-11-14T22:13:20.5Z')).toBeCloseTo(1700000000.5);
  });
});

describe('forEachK6Line', () => {
  // Over 1 MiB of CSV, so lines are split across gunzip's chunks; CRLF line ends.
  const metrics = ['http_reqs', 'http_req_duration', 'hunt_error_rate', 'data_sent', 'hunt_shed'];
  const rows = Array.from({ length: 20_000 }, (_, i) => {
    const meta = i % 7 === 0 ? '"event_id=e,x"' : `event_id=e${i}`;
    return `${metrics[i % metrics.length]},${1700000000 + (i % 50)},${i}${tags}${meta}`;
  });
  const file = write('lines.csv.gz', `${K6_HEADER}\r\n${rows.join('\r\n')}`);
  const read = async (only?: string[]) => {
    const seen: string[] = [];
    await forEachK6Line(
      file,
      (buf, start, end, cols) => {
        seen.push(
          `${buf.toString('utf8', start, end)}|${fieldAt(buf, start, end, cols.metadata!)}`,
        );
      },
      [],
      only,
    );
    return seen;
  };

  it('gives, with a prefix filter, exactly the lines that start with one, each whole', async () => {
    const all = await read();
    // Every line in order, whole, though gunzip's full buffers are freed once read.
    expect(all.map((l) => l.slice(0, l.lastIndexOf('|')))).toEqual(rows);
    const only = await read(['http_req_duration,', 'hunt_']);
    const expected = all.filter((l) => /^(http_req_duration|hunt_)/.test(l));
    expect(only.sort()).toEqual(expected.sort());
    expect(only.length).toBe((rows.length / metrics.length) * 3);
    // The last line has no newline and still counts; quoted metadata is read as CSV.
    expect(only.some((l) => l.startsWith(`hunt_shed,1700000049,19999,`))).toBe(true);
    expect(only.filter((l) => l.endsWith('|event_id=e,x')).length).toBeGreaterThan(0);
  });
});

describe('releaseIfFull', () => {
  it('frees a gunzip buffer at its last slice only, and never a pooled one', () => {
    const out = Buffer.allocUnsafeSlow(64).fill(0x61);
    const first = out.subarray(0, 40);
    expect(releaseIfFull(first, 64)).toBe(false);
    expect(first.toString('latin1', 0, 3)).toBe('aaa');
    const last = out.subarray(40);
    expect(releaseIfFull(last, 64)).toBe(true);
    expect(out.buffer.byteLength).toBe(0);
    expect(first.length).toBe(0);
    // A small Buffer shares Node's pool with others: not a buffer of gunzip's size.
    const pooled = Buffer.from('abcd');
    expect(releaseIfFull(pooled, 64)).toBe(false);
    expect(pooled.toString()).toBe('abcd');
  });
});

describe('fieldAt', () => {
  const line = (text: string) => [Buffer.from(text), 0, text.length] as const;
  it('cuts unquoted fields as bytes, whatever a later field holds', () => {
    expect(fieldAt(...line('a,b,"c,d",e'), 1)).toBe('b');
    expect(fieldAt(...line('a,b,"c,d",e'), 3)).toBe('e');
    expect(fieldAt(...line('"a,b",c,d'), 1)).toBe('c');
    expect(fieldAt(...line('a,"b ""x"", y",c'), 1)).toBe('b "x", y');
    expect(fieldAt(...line('a,b'), 5)).toBe('');
  });
});
