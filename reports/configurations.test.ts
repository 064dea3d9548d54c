import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../analysis/matrix.ts';
import type { Summary } from '../contract/schema.ts';
import { comparedPairs, configurationsOf, runLabel } from './configurations.ts';
import { sampleSummary } from './fixtures/summary.ts';
import type { RunData } from './read-run.ts';

const runOf = (runId: string, configuration: string, peak: number, complete = true) => {
  const summary: Summary = sampleSummary({
    runId,
    configuration,
    design: configuration,
    complete,
    backlog: { max: peak, drainS: 10, drained: true },
  });
  return { manifest: { runId, backend: 'kafka' }, summary } as unknown as RunData;
};

describe('the report by configuration', () => {
  it('stands each configuration for by its median counted run, never an incomplete one', () => {
    const runs = [
      runOf('a1', 'naive', 300),
      runOf('b1', 'hardened', 10),
      runOf('a2', 'naive', 900, false),
      runOf('b2', 'hardened', 30),
      runOf('a3', 'naive', 100),
      runOf('b3', 'hardened', 20),
      runOf('a4', 'naive', 200),
    ];
    const configs = configurationsOf(buildMatrix(runs.map((r) => r.summary)), runs);
    expect(configs.map((c) => [c.name, c.runs, runs[c.rep]!.manifest.runId])).toEqual([
      // Counted peaks 300, 100, 200: the median is 200 (a4); a2's 900 is left out.
      ['kafka · naive', [0, 2, 4, 6], 'a4'],
      ['kafka · hardened', [1, 3, 5], 'b3'],
    ]);
    expect(new Set(configs.map((c) => c.color)).size).toBe(2);
  });

  it('keeps the pairs the findings compare, once each, in their order', () => {
    const configs = ['kafka · naive', 'kafka · hardened', 'kinesis · naive'].map((name) => ({
      name,
      color: '',
      runs: [],
      rep: 0,
    }));
    const f = (a: string, b: string) => ({ rows: [a, b] as [string, string] });
    expect(
      comparedPairs(configs, [
        f('kafka · naive', 'kafka · hardened'),
        f('kafka · naive', 'kafka · hardened'),
        f('kafka · naive', 'kinesis · naive'),
        f('kafka · naive', 'elsewhere'),
      ]),
    ).toEqual([
      [0, 1],
      [0, 2],
    ]);
  });

  it('names a run by its configuration and repeat, the id only as a fallback', () => {
    const runs = [runOf('a1', 'naive', 1), runOf('b1', 'hardened', 1), runOf('a2', 'naive', 2)];
    const rows = buildMatrix(runs.map((r) => r.summary));
    expect(runLabel(rows, 'a2', 'kafka')).toBe('kafka · naive, run 2 of 2');
    expect(runLabel(rows, 'b1', 'kafka')).toBe('kafka · hardened');
    expect(runLabel(rows, 'zz', 'kafka')).toBe('kafka');
  });
});
