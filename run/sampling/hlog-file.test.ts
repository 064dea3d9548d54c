import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { afterEach, describe, expect, it } from 'vitest';
import { HlogFile } from './hlog-file.ts';

const dirs: string[] = [];
const logs: HlogFile[] = [];
afterEach(async () => {
  for (const l of logs.splice(0)) await l.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newLog(t0: number): { log: HlogFile; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hlog-'));
  dirs.push(dir);
  const file = join(dir, 'e2e.hlog');
  const log = new HlogFile(file, t0);
  logs.push(log);
  return { log, file };
}

/** The engine's cumulative histogram, built as engine/monitor/histograms.ts builds it. */
function engineHistogram(): hdr.Histogram {
  return hdr.build({
    numberOfSignificantValueDigits: 3,
    lowestDiscernibleValue: 1,
    autoResize: true,
    useWebAssembly: false,
  });
}

/** The engine's snapshot after recording `values`, base64 as `GET /histograms` answers. */
function snapshotOf(...values: number[]): string {
  const h = engineHistogram();
  for (const v of values) h.recordValue(v);
  return hdr.encodeIntoCompressedBase64(h);
}

function intervalsIn(file: string): hdr.Histogram[] {
  const reader = new hdr.HistogramLogReader(readFileSync(file, 'utf8'));
  const out: hdr.Histogram[] = [];
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
    out.push(h);
  }
  return out;
}

describe('HlogFile', () => {
  // 4,095 µs is the top sub-bucket of a histogram resized to hold it: the library's own
  // subtract() refused it ("The other histogram includes values that do not fit ...").
  it.each([4094, 4095, 8190, 1_048_575])(
    'subtracts a previous snapshot whose maximum (%i µs) sits in the top sub-bucket',
    async (max) => {
      const t0 = 1_000_000;
      const { log, file } = newLog(t0);
      const h = engineHistogram();
      h.recordValue(max);
      const first = log.append({
        base64: hdr.encodeIntoCompressedBase64(h),
        startMs: t0,
        endMs: t0 + 1000,
      });
      h.recordValue(10);
      h.recordValue(20);
      const second = log.append({
        base64: hdr.encodeIntoCompressedBase64(h),
        startMs: t0,
        endMs: t0 + 2000,
      });
      await log.close();
      expect(first.p99).toBeCloseTo(max / 1000, 0);
      // The second interval holds the two new samples alone.
      expect(second.p99).toBeCloseTo(0.02, 2);
      const intervals = intervalsIn(file);
      expect(intervals.map((i) => i.totalCount)).toEqual([1, 2]);
      expect(intervals[1]?.maxValue).toBeLessThan(100);
    },
  );

  it('starts over when the engine restarted (another start time)', async () => {
    const { log, file } = newLog(0);
    log.append({ base64: snapshotOf(5000, 5000), startMs: 0, endMs: 1000 });
    log.append({ base64: snapshotOf(300), startMs: 1500, endMs: 2000 });
    await log.close();
    expect(intervalsIn(file).map((i) => i.totalCount)).toEqual([2, 1]);
  });

  it('writes nothing and reads unknown for a snapshot that is not a later reading, then goes on', async () => {
    const { log, file } = newLog(0);
    log.append({ base64: snapshotOf(5000, 5000), startMs: 0, endMs: 1000 });
    // Same engine, more samples in all, but fewer at 5 ms: not a superset of the last read.
    expect(log.append({ base64: snapshotOf(300, 300, 300), startMs: 0, endMs: 2000 })).toEqual({
      p50: null,
      p99: null,
    });
    expect(log.append({ base64: 'not a histogram', startMs: 0, endMs: 2500 })).toEqual({
      p50: null,
      p99: null,
    });
    const next = log.append({ base64: snapshotOf(300, 300, 300, 700), startMs: 0, endMs: 3000 });
    await log.close();
    expect(next.p99).toBeCloseTo(0.7, 2);
    expect(intervalsIn(file).map((i) => i.totalCount)).toEqual([2, 1]);
  });
});
