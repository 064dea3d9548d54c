import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bottleneckWarnings, checkLoadGenerator, loadGeneratorWarning } from './bottleneck.ts';

/** A results directory with one timeline point per k6 CPU figure, and k6's summary. */
function results(k6Cpu: (number | undefined)[], dropped?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-bottleneck-'));
  const points = k6Cpu.map((cpuPct, t) =>
    JSON.stringify({
      t,
      processes: {
        engine: { cpuPct: 50, rssMiB: 100 },
        ...(cpuPct === undefined ? {} : { k6: { cpuPct, rssMiB: 80 } }),
      },
    }),
  );
  writeFileSync(join(dir, 'timeline.ndjson'), `${points.join('\n')}\n`);
  const metrics =
    dropped === undefined ? {} : { dropped_iterations: { values: { count: dropped } } };
  writeFileSync(join(dir, 'k6-summary.json'), JSON.stringify({ metrics }));
  return dir;
}

describe('load generator bottleneck', () => {
  it('stays quiet when k6 had CPU to spare and dropped nothing', () => {
    const dir = results([40, 60, 95, 50, 30, undefined]);
    expect(checkLoadGenerator(dir)).toEqual({ sampledS: 5, saturatedS: 1, dropped: 0 });
    expect(bottleneckWarnings([dir])).toEqual([]);
  });

  it('warns when k6 was saturated for a fifth of the run or more', () => {
    const w = bottleneckWarnings([results([95, 120, 40, 50, 60])]);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/load generator.*bottleneck.*saturated.*2 of 5 s/);
  });

  it('warns when k6 dropped iterations, naming the directory among several', () => {
    const quiet = results([10, 10]);
    const dropping = results([10, 10], 1234);
    const w = bottleneckWarnings([quiet, dropping]);
    expect(w).toEqual([expect.stringContaining(`${dropping}: warning:`)]);
    expect(w[0]).toContain('dropped 1,234 iterations');
  });

  it('says unknown when it could not measure: no timeline, no summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-bottleneck-'));
    expect(checkLoadGenerator(dir)).toEqual({ sampledS: 0, saturatedS: 0, dropped: null });
    expect(loadGeneratorWarning(checkLoadGenerator(dir))).toMatch(/^warning: unknown/);
  });
});
