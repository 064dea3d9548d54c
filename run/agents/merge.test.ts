import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { newHistogram, percentilesMs, recordMs } from '../../contract/hdr.ts';
import { agentDir, k6SampleFiles, sumK6Figures } from '../../contract/k6-agents.ts';
import { type K6Samples, mergeK6Samples } from '../../contract/k6-samples.ts';
import type { TimelinePoint } from '../../contract/schema.ts';
import { K6_HEADER } from '../../reports/fixtures/k6-rows.ts';
import { readK6Witness, WitnessError } from '../audit/witness.ts';
import { combinedExit } from '../load-phase.ts';
import { mergeAgents, witnessFiles } from './merge.ts';

/** A deterministic heavy-tailed latency stream (ms), as k6 would record it. */
function latencies(n: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const u = x / 2 ** 31;
    return 0.5 + 2 / (1 - u) ** 0.7;
  });
}

function samplesOf(values: number[], errors: number, answers: number): K6Samples {
  const http = newHistogram();
  for (const v of values) recordMs(http, v);
  return {
    http,
    requests: values.length,
    byStatus: { '202': values.length },
    shedByReason: {},
    errorRate: answers > 0 ? errors / answers : null,
    errorCounts: { errors, answers },
    droppedIterations: 0,
    sentPerSecond: new Map([[1700000000, values.length]]),
  };
}

describe('merging agents’ samples', () => {
  it('gives the percentiles of one histogram of all values, not averaged ones', () => {
    // Agents with very different latencies: averaging their p99s would be far off.
    const parts = [latencies(20_000, 1), latencies(5_000, 2).map((v) => v * 10), latencies(300, 3)];
    const merged = mergeK6Samples(parts.map((p) => samplesOf(p, 0, p.length)));
    const all = newHistogram();
    for (const v of parts.flat()) recordMs(all, v);
    expect(percentilesMs(merged.http)).toEqual(percentilesMs(all));
    expect(merged.http.totalCount).toBe(25_300);
    const averaged =
      parts.map((p) => percentilesMs(samplesOf(p, 0, 1).http)!.p99).reduce((a, b) => a + b) / 3;
    expect(Math.abs(averaged - percentilesMs(all)!.p99)).toBeGreaterThan(1);
  });

  it('sums counts and takes the error rate over all answers', () => {
    const a = samplesOf([1, 2, 3], 1, 100);
    const b = samplesOf([4], 9, 10);
    const m = mergeK6Samples([a, b]);
    expect(m.requests).toBe(4);
    expect(m.byStatus).toEqual({ '202': 4 });
    expect(m.errorRate).toBeCloseTo(10 / 110);
    expect(m.sentPerSecond.get(1700000000)).toBe(4);
  });

  it('sums k6 summaries, and is unknown when an agent left none', () => {
    const f = (accepted: number, dropped: number, errors: number, answers: number) => ({
      accepted,
      droppedIterations: dropped,
      errorRate: errors / answers,
      errorCounts: { errors, answers },
    });
    expect(sumK6Figures([f(10, 1, 1, 100), f(5, 2, 9, 10)])).toEqual({
      accepted: 15,
      droppedIterations: 3,
      errorRate: 10 / 110,
      errorCounts: { errors: 10, answers: 110 },
    });
    expect(sumK6Figures([f(10, 1, 1, 100), null])).toBeNull();
  });

  it('exit codes: a failure wins, then a breached threshold', () => {
    expect(combinedExit([0, 0])).toBe(0);
    expect(combinedExit([0, 99])).toBe(99);
    expect(combinedExit([99, 107, 0])).toBe(107);
  });
});

describe('a results directory with agents', () => {
  const row = (status: number, id: string, ms: number) =>
    `http_req_duration,1700000000000,${ms},,,,true,,POST,POST /orders,HTTP/1.1,steady,,${status},,,http://x/orders,kind=order,event_id=${id}`;
  const write = (dir: string, rows: string[], summary?: object) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'k6-samples.csv.gz'), gzipSync(`${[K6_HEADER, ...rows].join('\n')}\n`));
    if (summary) writeFileSync(join(dir, 'k6-summary.json'), JSON.stringify(summary));
  };
  const summary = (accepted: number, dropped: number) => ({
    metrics: {
      hunt_accepted: { values: { count: accepted } },
      ...(dropped > 0 ? { dropped_iterations: { values: { count: dropped } } } : {}),
      hunt_error_rate: { values: { rate: 0, passes: 0, fails: accepted } },
    },
  });
  const point = (t: number, cpu: Record<string, number>) =>
    ({
      t,
      processes: Object.fromEntries(
        Object.entries(cpu).map(([k, v]) => [k, { cpuPct: v, rssMiB: 50 }]),
      ),
    }) as unknown as TimelinePoint;

  it('reads every agent: witness, merged samples, one row per agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agents-'));
    write(agentDir(dir, 0), [row(202, 'a', 3), row(503, 'b', 1), row(202, 'b', 2)], summary(2, 0));
    write(agentDir(dir, 1), [row(202, 'c', 40)], summary(1, 4));
    const manifest = { agents: { count: 2, hosts: null, command: null } };
    expect(k6SampleFiles(dir)).toEqual(witnessFiles(dir, manifest));

    const w = await readK6Witness(witnessFiles(dir, manifest));
    expect([...w.accepted].sort()).toEqual(['a', 'b', 'c']);

    const points = [point(1, { 'k6-0': 20, 'k6-1': 95 }), point(2, { 'k6-0': 30, 'k6-1': 97 })];
    const m = await mergeAgents(dir, manifest, points, [0, 99]);
    expect(m.samples?.requests).toBe(4);
    expect(m.samples?.http.totalCount).toBe(3);
    expect(m.summary).toMatchObject({ accepted: 3, droppedIterations: 4 });
    expect(m.rows).toEqual([
      {
        agent: 0,
        host: null,
        requests: 3,
        accepted: 2,
        droppedIterations: 0,
        cpuPct: { mean: 25, max: 30 },
        exit: 0,
      },
      {
        agent: 1,
        host: null,
        requests: 1,
        accepted: 1,
        droppedIterations: 4,
        cpuPct: { mean: 96, max: 97 },
        exit: 99,
      },
    ]);
  });

  it('an agent that left no samples makes the merge unknown and fails the witness', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agents-'));
    write(agentDir(dir, 0), [row(202, 'a', 3)], summary(1, 0));
    const manifest = { agents: { count: 2, hosts: ['h1', 'h2'], command: 'ssh {host}' } };
    const m = await mergeAgents(dir, manifest, []);
    expect(m.samples).toBeNull();
    expect(m.summary).toBeNull();
    expect(m.rows?.[1]).toMatchObject({ agent: 1, host: 'h2', requests: null, cpuPct: null });
    await expect(readK6Witness(witnessFiles(dir, manifest))).rejects.toThrow(WitnessError);
  });

  it('results without run.json agents (brought back from pods) count their agent directories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agents-'));
    write(agentDir(dir, 0), [row(202, 'a', 3)], summary(1, 0));
    write(agentDir(dir, 2), [row(202, 'c', 3)], summary(1, 0));
    // agent-1 is missing: the witness names it, and fails.
    expect(witnessFiles(dir, {}).map((f) => f.split('/').at(-2))).toEqual([
      'agent-0',
      'agent-1',
      'agent-2',
    ]);
    expect((await mergeAgents(dir, {}, [])).rows).toHaveLength(3);
  });
});
