/**
 * `hunt run --agents 2` against the real engine on a private stack: two k6 processes, each
 * offering its execution segment of one constant-arrival-rate scenario, merged into one
 * results directory. Then the remote-host transport (archive on stdin, samples on stdout)
 * with a prefix that runs on this host.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDir } from '../../contract/k6-agents.ts';
import { fieldAt, forEachK6Line, tagValue } from '../../contract/k6-samples.ts';
import { Audit, RunManifest, Summary } from '../../contract/schema.ts';
import { findK6 } from '../../scenarios/lib-node/run-k6.ts';
import { listDaemons } from '../../stack/process.ts';
import { componentsOf, hunt, startTestStack, type TestStack } from './stack-fixture.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'hunt-agents-'));
const budgets = join(work, 'budgets.yaml');
writeFileSync(budgets, 'http_p99_ms: 10000\nerror_rate: 0.05\nlost_events: 0\n');

beforeAll(async () => {
  stack = await startTestStack(() => {}, { only: componentsOf('kafka') });
});
afterAll(async () => {
  await stack?.stop();
});

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;
const DURATION = Buffer.from('http_req_duration,');

/** Each event id's first attempt (ms), over the given samples files: one per arrival. */
async function arrivals(files: string[]): Promise<Map<string, number>> {
  const first = new Map<string, number>();
  for (const file of files) {
    await forEachK6Line(file, (buf, start, end, cols) => {
      if (buf.compare(DURATION, 0, DURATION.length, start, start + DURATION.length) !== 0) return;
      if (fieldAt(buf, start, end, cols.method ?? -1) !== 'POST') return;
      const id = tagValue(fieldAt(buf, start, end, cols.metadata ?? -1), 'event_id');
      const ms = Number(fieldAt(buf, start, end, cols.timestamp ?? -1));
      if (id && !(first.get(id)! <= ms)) first.set(id, ms);
    });
  }
  return first;
}

// 50/s × scale 3: 150 arrivals/s for 40 s, 75/s from each agent.
const RATE = 150;
const LOAD_S = 40;
const WINDOW_S = 10;

describe('hunt run --agents 2', () => {
  const out = join(work, 'two-agents');

  it('meets the rate profile within 5% per 10 s window, merged from both agents', async () => {
    const started = Date.now();
    const run = await hunt(
      [
        'run',
        '--backend',
        'kafka',
        '--scenario',
        'steady',
        '--scale',
        '3',
        '--duration',
        `${LOAD_S}s`,
        '--agents',
        '2',
        '--out',
        out,
        '--drain-timeout',
        '60',
        '--budgets',
        budgets,
      ],
      stack.env,
    );
    const tookS = (Date.now() - started) / 1000;
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(existsSync(join(out, 'k6-samples.csv.gz'))).toBe(false);
    const files = [0, 1].map((i) => join(agentDir(out, i), 'k6-samples.csv.gz'));
    for (const i of [0, 1]) {
      expect(existsSync(files[i]!)).toBe(true);
      expect(existsSync(join(agentDir(out, i), 'k6-summary.json'))).toBe(true);
      expect(existsSync(join(agentDir(out, i), 'k6.log'))).toBe(true);
    }
    expect(RunManifest.parse(json(join(out, 'run.json'))).agents).toEqual({
      count: 2,
      hosts: null,
      command: null,
    });

    // The merged arrivals, per 10 s window from the first, against 150/s × 10 s. Every window
    // is compared: the agents start within a fraction of a second of each other, so no
    // window is partial by more than that.
    const first = await arrivals(files);
    const t0 = Math.min(...first.values());
    const windows = new Array<number>(LOAD_S / WINDOW_S).fill(0);
    let outside = 0;
    for (const ms of first.values()) {
      const w = Math.floor((ms - t0) / (WINDOW_S * 1000));
      if (w < windows.length) windows[w]!++;
      else outside++;
    }
    const expected = RATE * WINDOW_S;
    const errors = windows.map((n) => (n - expected) / expected);
    console.log(
      `[agents] ${tookS.toFixed(0)} s; arrivals per ${WINDOW_S} s window: ${windows.join(', ')} ` +
        `(expected ${expected}; error ${errors.map((e) => `${(e * 100).toFixed(2)}%`).join(', ')}; ${outside} after the last)`,
    );
    for (const e of errors) expect(Math.abs(e)).toBeLessThanOrEqual(0.05);

    // One merged sample count, the sum of the agents'; both agents carried their half.
    const summary = Summary.parse(json(join(out, 'summary.json')));
    const rows = summary.agents!;
    expect(rows.map((r) => r.agent)).toEqual([0, 1]);
    expect(summary.answers!.total).toBe(rows[0]!.requests! + rows[1]!.requests!);
    expect(summary.accepted).toBe(rows[0]!.accepted! + rows[1]!.accepted!);
    expect(Math.abs(rows[0]!.requests! - rows[1]!.requests!)).toBeLessThan(
      rows[0]!.requests! * 0.05,
    );
    for (const r of rows) {
      expect(r.cpuPct, 'a local agent is sampled as k6-<i>').not.toBeNull();
      expect(r).toMatchObject({ host: null, droppedIterations: 0, exit: 0 });
    }
    // The audit read both agents' samples: every accepted id, and k6's own counts agree.
    const a = Audit.parse(json(join(out, 'audit.json')));
    expect(a).toMatchObject({ lost: 0, unwitnessed: 0 });
    expect(a.k6Accepted).toBe(a.accepted);
    expect(a.accepted).toBe(summary.accepted);
    // Each agent mints its own event ids: none is shared, so the merged arrivals are the sum.
    const [one, two] = await Promise.all(files.map((f) => arrivals([f])));
    expect([...one!.keys()].filter((id) => two!.has(id))).toEqual([]);
    expect(first.size).toBe(one!.size + two!.size);
    expect(run.stdout).toMatch(/agent-1\s+this machine/);
    expect(listDaemons(stack.paths.state).filter((d) => d.name.startsWith('k6'))).toEqual([]);
  });
});

describe('hunt run --agent-hosts, through a prefix that runs here', () => {
  it('sends the archive in, streams the samples out, into the same agents layout', async () => {
    const out = join(work, 'hosts');
    const run = await hunt(
      [
        'run',
        '--backend',
        'kafka',
        '--scenario',
        'steady',
        '--duration',
        '10s',
        '--agent-hosts',
        'here-a,here-b',
        '--agent-command',
        'env HUNT_AGENT_HOST={host}',
        '--agent-k6',
        findK6(),
        '--out',
        out,
        '--drain-timeout',
        '60',
        '--budgets',
        budgets,
      ],
      stack.env,
    );
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(existsSync(join(out, 'agents', 'k6-archive.tar'))).toBe(true);
    for (const i of [0, 1]) {
      const dir = agentDir(out, i);
      // The summary came back on stderr, between its markers, and was written out here.
      expect(Object.keys(json(join(dir, 'k6-summary.json')) as object)).toContain('metrics');
      expect(readFileSync(join(dir, 'k6.log'), 'utf8')).toContain('hunt k6-summary.json begin');
    }
    const summary = Summary.parse(json(join(out, 'summary.json')));
    expect(summary.agents?.map((r) => [r.host, r.exit, r.cpuPct])).toEqual([
      ['here-a', 0, null],
      ['here-b', 0, null],
    ]);
    expect(summary.agents!.every((r) => r.requests! > 100)).toBe(true);
    const a = Audit.parse(json(join(out, 'audit.json')));
    expect(a).toMatchObject({ lost: 0, unwitnessed: 0 });
    // k6's own counts (from the summaries on stderr) agree with the samples (from stdout).
    expect(a.k6Accepted).toBe(a.accepted);
    expect(summary.complete).toBe(true);
  });
});
