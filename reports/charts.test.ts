import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCharts, MAX_LEGEND } from './charts.ts';
import type { Configuration } from './configurations.ts';
import { generateResultsDir } from './fixtures/generate.ts';
import { loadRun } from './read-run.ts';

const root = mkdtempSync(join(tmpdir(), 'hunt-charts-'));

describe('the charts of a matrix', () => {
  it('draw one line per configuration and series, within the legend, however many configurations', async () => {
    const runs = [];
    for (const backend of ['kafka', 'kinesis'] as const) {
      const dir = join(root, backend);
      await generateResultsDir(dir, { backend, requests: 300, durationS: 20 });
      runs.push(await loadRun(dir, undefined));
    }
    const configs = (n: number): Configuration[] =>
      Array.from({ length: n }, (_, k) => ({
        name: `c${k}`,
        color: '#000',
        runs: [k % 2],
        rep: k % 2,
      }));
    for (const n of [1, 4, 5, 6, 9]) {
      const charts = buildCharts(runs, configs(n));
      for (const c of charts)
        expect(c.series.length, `${c.id} with ${n} configurations`).toBeLessThanOrEqual(MAX_LEGEND);
      const backlog = charts.find((c) => c.id === 'backlog')!;
      expect(backlog.series.map((s) => s.label)).toEqual(configs(n).map((c) => c.name));
      // Per-process CPU and RSS are the table's, not lines.
      expect(charts.some((c) => /cpu|rss/.test(c.id))).toBe(false);
    }
    // Room for both percentiles at 4 configurations, the p99 alone at 6.
    expect(buildCharts(runs, configs(4)).find((c) => c.id === 'http-latency')!.series).toHaveLength(
      8,
    );
    expect(buildCharts(runs, configs(6)).find((c) => c.id === 'http-latency')!.series).toHaveLength(
      6,
    );
  });
});
