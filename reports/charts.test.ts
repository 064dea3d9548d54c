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

  it("draws the producer's queue beside the backlog, with a legend naming each line", async () => {
    const runs = [];
    for (const backend of ['kafka', 'kinesis'] as const) {
      const dir = join(root, `queue-${backend}`);
      await generateResultsDir(dir, { backend, requests: 300, durationS: 20 });
      runs.push(await loadRun(dir, undefined));
    }
    // The first run read its producer queue (one second unread), the second never did.
    runs[0]!.timeline = runs[0]!.timeline.map((p, i) => ({
      ...p,
      producerQueue: i === 3 ? null : 100 * i,
    }));
    const configs: Configuration[] = [
      { name: 'kafka · naive', color: '#111', runs: [0], rep: 0 },
      { name: 'kinesis · naive', color: '#222', runs: [1], rep: 1 },
    ];
    const backlog = buildCharts(runs, configs).find((c) => c.id === 'backlog')!;
    expect(backlog.title).toMatch(/producer/);
    expect(backlog.series.map((s) => s.label)).toEqual([
      'kafka · naive not delivered',
      'kafka · naive producer queue',
      'kinesis · naive not delivered',
    ]);
    const queue = backlog.series[1]!;
    expect(queue.dash).toBeDefined();
    expect(queue.values.slice(0, 5)).toEqual([0, 100, 200, null, 400]);
    // Too many configurations for two lines each: the queue gets a chart of its own.
    const many = Array.from({ length: 6 }, (_, k) => ({ ...configs[k % 2]!, name: `c${k}` }));
    const charts = buildCharts(runs, many);
    expect(charts.find((c) => c.id === 'backlog')!.series).toHaveLength(6);
    const own = charts.find((c) => c.id === 'producer-queue')!;
    expect(own.series.map((s) => s.label)).toEqual(['c0', 'c2', 'c4']);
  });
});
