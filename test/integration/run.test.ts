/**
 * `hunt run` and `hunt compare` end to end on a private stack: real engine, real Kafka and
 * kinesalite behind Toxiproxy, real k6, a real fault.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHlog } from '../../contract/hdr.ts';
import {
  Audit,
  ChaosRecord,
  HISTOGRAM_FILES,
  RunManifest,
  Summary,
  TimelinePoint,
} from '../../contract/schema.ts';
import { driverOf } from '../../drivers/registry.ts';
import { audit } from '../../run/audit/audit.ts';
import { readLedger, readStreamCopy, stackConnection } from '../../run/audit/read.ts';
import { readK6Witness } from '../../run/audit/witness.ts';
import { listDaemons, pidAlive } from '../../stack/process.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { hunt, startTestStack, type TestStack } from './stack-fixture.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'hunt-run-'));
// A fault inside the smoke scenario's 10 s: 200 ms on the broker's replies from 2 s to 5 s.
const plan = join(work, 'short-latency.yaml');
writeFileSync(
  plan,
  'description: a short broker latency\nduration: 12s\nsteps:\n  - at: 2s\n    for: 3s\n    toxic: { proxy: broker, type: latency, attributes: { latency: 200 } }\n',
);

// Generous budgets: the fault slows requests on purpose; an impossible one must fail the run.
const budgets = join(work, 'budgets.yaml');
writeFileSync(budgets, 'http_p99_ms: 10000\nerror_rate: 0.05\nlost_events: 0\n');
const impossible = join(work, 'impossible.yaml');
writeFileSync(impossible, 'http_p99_ms: 0.001\nlost_events: 0\n');

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const huntOnStack = (args: string[]) => hunt(args, stack.env);

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;

function expectValidResults(dir: string): Summary {
  RunManifest.parse(json(join(dir, 'run.json')));
  const summary = Summary.parse(json(join(dir, 'summary.json')));
  Audit.parse(json(join(dir, 'audit.json')));
  const chaos = ChaosRecord.parse(json(join(dir, 'chaos.json')));
  expect(chaos.events.length).toBeGreaterThan(0);
  expect(chaos.events[0]?.appliedAtS).not.toBeNull();
  const timeline = readFileSync(join(dir, 'timeline.ndjson'), 'utf8').trim().split('\n');
  expect(timeline.length).toBeGreaterThanOrEqual(8);
  for (const line of timeline) TimelinePoint.parse(JSON.parse(line));
  expect(readHlog(readFileSync(join(dir, HISTOGRAM_FILES.e2e), 'utf8')).totalCount).toBeGreaterThan(
    0,
  );
  expect(existsSync(join(dir, 'k6-samples.csv.gz'))).toBe(true);
  return summary;
}

describe.each(['kafka', 'kinesis'] as const)('hunt run --backend %s', (backend) => {
  const out = join(work, backend);

  it('leaves a complete results directory, valid against the schema, with nothing lost', async () => {
    const run = await huntOnStack([
      'run',
      '--backend',
      backend,
      '--scenario',
      'smoke',
      '--plan',
      plan,
      '--out',
      out,
      '--drain-timeout',
      '60',
      '--budgets',
      budgets,
      // A profile asking for three replicas, on the stack's one broker.
      ...(backend === 'kafka' ? ['--fidelity', 'kafka-3az'] : []),
    ]);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    const summary = expectValidResults(out);
    if (backend === 'kafka') {
      // Replication as the broker made the run's topic, read back: one replica, not three.
      const fidelity = RunManifest.parse(json(join(out, 'run.json'))).fidelity;
      expect(fidelity?.readBack).toEqual({
        topic: expect.stringMatching(/^hunt-/),
        replicationFactor: 1,
        minInsyncReplicas: 1,
        error: null,
      });
      expect(fidelity?.dimensions.replication).toMatchObject({
        level: 'absent',
        note: expect.stringMatching(/read back: RF 1, min.insync.replicas 1: RF 1 < 3/),
      });
      expect(run.stdout + run.stderr).toMatch(/fidelity read back: replication absent/);
    }
    expect(summary).toMatchObject({ complete: true, lost: 0, backend });
    expect(summary.accepted).toBeGreaterThan(30);
    expect(summary.delivered).toBe(summary.accepted);
    // Every applied event left its end-to-end sample in the run's histograms.
    expect(summary.e2eSamples?.count).toBe(summary.e2eSamples?.deliveredMinusDlq);
    expect(run.stdout).toMatch(/accepted/);
    // k6 witnessed every write; the engine's ledger agrees with it both ways.
    const a = Audit.parse(json(join(out, 'audit.json')));
    expect(a).toMatchObject({ witness: 'k6-samples', unwitnessed: 0, foreign: { count: 0 } });
    expect(a.k6Accepted).toBe(a.accepted);
    expect(a.ledger).toMatchObject({ missing: { count: 0 }, extra: { count: 0 } });
    expect(summary.answers?.byStatus['202']).toBe(summary.accepted);
    // The fulfillment service recorded each applied event once, with its publish time.
    const fulfilled = readFileSync(join(out, 'fulfilled.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; ts: number; fulfilledAt: number });
    expect(new Set(fulfilled.map((f) => f.id)).size).toBe(fulfilled.length);
    expect(fulfilled.length).toBe(summary.e2eSamples?.deliveredMinusDlq);
    expect(fulfilled.every((f) => f.fulfilledAt >= f.ts && f.ts > 0)).toBe(true);
  });

  it('audit: one accepted id removed from the copy it reads shows as lost, by id', async () => {
    const manifest = json(join(out, 'run.json')) as { topic: string };
    const copy = await readStreamCopy(
      stackConnection(driverOf(backend), stack.ports),
      manifest.topic,
      `${manifest.topic}-dlq`,
    );
    // The engine writes only events and DLQ entries: every record has a readable id.
    expect(copy.unreadable).toEqual({ stream: 0, dlq: 0 });
    const witness = await readK6Witness(join(out, 'k6-samples.csv.gz'));
    const accepted = [...witness.accepted];
    const victim = accepted[7]!;
    const a = audit({
      witness,
      ledger: readLedger(out),
      stream: copy.stream.filter((id) => id !== victim),
      dlq: copy.dlq.filter((id) => id !== victim),
      unreadable: copy.unreadable,
      k6Accepted: accepted.length,
      engine: { delivered: accepted.length, duplicates: 0 },
    });
    expect(a.lostIds).toEqual([victim]);
    const redelivered = audit({
      witness,
      ledger: readLedger(out),
      stream: [...copy.stream, victim],
      dlq: copy.dlq,
      unreadable: copy.unreadable,
      k6Accepted: null,
      engine: { delivered: accepted.length, duplicates: 0 },
    });
    expect(redelivered.duplicateIds).toEqual([victim]);
  });
});

describe('hunt run, interrupted', () => {
  it('stops cleanly on SIGINT: no process, no toxic, an incomplete-marked results dir', async () => {
    const out = join(work, 'interrupted');
    const run = execa(
      process.execPath,
      [
        join(REPO_ROOT, 'bin', 'hunt.js'),
        'run',
        '--backend',
        'kafka',
        '--scenario',
        'smoke',
        '--plan',
        plan,
        '--out',
        out,
      ],
      {
        env: { ...process.env, ...stack.env },
        reject: false,
        stdin: 'ignore',
      },
    );
    // Interrupt while the fault is in force (t = 2 s .. 5 s).
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(out, 'timeline.ndjson')) && Date.now() < deadline) await sleep(100);
    await sleep(3_500);
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode, result.stdout).toBe(130);

    expect(existsSync(join(out, 'INCOMPLETE'))).toBe(true);
    expect((json(join(out, 'run.json')) as { complete: boolean }).complete).toBe(false);
    expect(Summary.parse(json(join(out, 'summary.json'))).complete).toBe(false);
    const names = listDaemons(stack.paths.state).map((d) => d.name);
    expect(names).not.toContain('engine');
    expect(names).not.toContain('fulfillment');
    const proxies = (await (
      await fetch(`http://127.0.0.1:${stack.ports.toxiproxy}/proxies`)
    ).json()) as Record<string, { toxics: unknown[]; enabled: boolean }>;
    for (const p of Object.values(proxies)) {
      expect(p.toxics).toEqual([]);
      expect(p.enabled).toBe(true);
    }
    const k6 = await execa('pgrep', ['-f', `k6 run.*${out}`], { reject: false });
    expect(k6.stdout.trim()).toBe('');
    for (const d of listDaemons(stack.paths.state)) expect(pidAlive(d.pid)).toBe(true);
  });
});
