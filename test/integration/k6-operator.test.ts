/**
 * `hunt k6-operator` end to end, short of a Kubernetes cluster: the manifests are written,
 * the archive is taken out of the ConfigMap, and each runner pod is played by a real k6
 * started the way k6-operator starts one (its execution segment, the TestRun's arguments, the
 * instance_id tag, the runner env with $(POD_NAME) expanded, the volume mount), against the
 * real engine. The pods' files then go through `hunt k6-operator import` and `hunt report`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readK6Samples } from '../../contract/k6-samples.ts';
import { findK6 } from '../../scenarios/lib-node/run-k6.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { startMemoryEngine, type TestEngine } from './scenarios-engine.ts';

const HUNT = join(REPO_ROOT, 'bin', 'hunt.js');
const hunt = (args: string[]) =>
  execa(process.execPath, [HUNT, ...args], { reject: false, all: true, cwd: REPO_ROOT });

interface EnvVar {
  name: string;
  value?: string;
}
interface TestRunSpec {
  parallelism: number;
  script: { configMap: { name: string; file: string } };
  arguments: string;
  runner: { env: EnvVar[]; volumeMounts: { mountPath: string }[] };
}

/** k6-operator's split: pod i of n (1-based) runs segment (i-1)/n:i/n of the sequence 0,1/n,..,1. */
function segmentArgs(i: number, n: number): string[] {
  const at = (k: number) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);
  const seq = Array.from({ length: n + 1 }, (_, k) => at(k)).join(',');
  return [`--execution-segment=${at(i - 1)}:${at(i)}`, `--execution-segment-sequence=${seq}`];
}

/** One runner pod: the command and env k6-operator gives it, with the volume at `volume`. */
async function runPod(spec: TestRunSpec, name: string, i: number, archive: string, volume: string) {
  const pod = `${name}-${i}-x7k2p`;
  const mount = spec.runner.volumeMounts[0]!.mountPath;
  const env: Record<string, string> = { POD_NAME: pod };
  for (const e of spec.runner.env) {
    if (e.value === undefined) continue;
    env[e.name] = e.value
      .replace(/\$\(([A-Z_]+)\)/g, (_, v: string) => env[v] ?? '')
      .replace(mount, volume);
  }
  const args = [
    'run',
    '--quiet',
    ...(spec.parallelism > 1 ? segmentArgs(i, spec.parallelism) : []),
    ...spec.arguments.split(' '),
    archive,
    '--tag',
    `instance_id=${i}`,
    '--tag',
    `testrun_name=${name}`,
  ];
  return execa(findK6(), args, { env, extendEnv: false, reject: false, all: true });
}

let tmp: string;
let engine: TestEngine;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'hunt-k6op-'));
  engine = await startMemoryEngine(join(REPO_ROOT, 'scenarios', 'data', 'default.json'));
});

afterAll(async () => {
  await engine?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('hunt k6-operator', () => {
  it('its TestRun, run pod by pod as k6-operator runs it, sends the scenario once and imports into a report', async () => {
    const manifests = join(tmp, 'manifests');
    const gen = await hunt([
      'k6-operator',
      '--base-url',
      engine.url,
      '--scenario',
      'steady',
      '--duration',
      '10s',
      '--agents',
      '2',
      '--name',
      'hunt-steady',
      '--out',
      manifests,
    ]);
    expect(gen.exitCode, gen.all).toBe(0);
    const testRun = parse(readFileSync(join(manifests, 'testrun.yaml'), 'utf8'));
    const configMap = parse(readFileSync(join(manifests, 'configmap.yaml'), 'utf8'));
    const spec = testRun.spec as TestRunSpec;
    expect(spec.parallelism).toBe(2);
    expect(configMap.metadata.name).toBe(spec.script.configMap.name);
    const archive = join(tmp, spec.script.configMap.file);
    writeFileSync(archive, Buffer.from(configMap.binaryData[spec.script.configMap.file], 'base64'));

    // k6 itself reads the archive's options: the steady rate for 10 s, the budgets as thresholds.
    const inspect = await execa(findK6(), ['inspect', archive]);
    const opts = JSON.parse(inspect.stdout);
    expect(opts.scenarios.steady).toMatchObject({ executor: 'constant-arrival-rate', rate: 50 });
    expect(Object.keys(opts.thresholds ?? {}).length).toBeGreaterThan(0);

    const volume = join(tmp, 'volume');
    mkdirSync(volume);
    const pods = await Promise.all(
      [1, 2].map((i) => runPod(spec, 'hunt-steady', i, archive, volume)),
    );
    for (const p of pods) expect([0, 99], p.all).toContain(p.exitCode);
    const files = readdirSync(volume).sort();
    expect(files).toEqual(['hunt-steady-1-x7k2p.csv.gz', 'hunt-steady-2-x7k2p.csv.gz']);
    const perPod = await Promise.all(files.map((f) => readK6Samples(join(volume, f))));
    const requests = perPod.map((s) => s.requests);
    // Each pod sent its half of 50/s for 10 s; together, the scenario once.
    for (const n of requests) expect(n).toBeGreaterThan(200 * 0.9);
    expect(requests[0]! + requests[1]!).toBeGreaterThanOrEqual(500 * 0.95);
    // setup() runs on every pod: a request or two each beyond the scenario's.
    expect(requests[0]! + requests[1]!).toBeLessThanOrEqual(500 + 2 * 2);

    const results = join(tmp, 'results');
    const imp = await hunt(['k6-operator', 'import', manifests, volume, '--out', results]);
    expect(imp.exitCode, imp.all).toBe(0);
    const run = JSON.parse(readFileSync(join(results, 'run.json'), 'utf8'));
    expect(run).toMatchObject({
      complete: true,
      scenario: 'steady',
      load: { kind: 'k6-operator', agents: 2 },
    });
    expect(readdirSync(join(results, 'agents')).sort()).toEqual(['agent-0', 'agent-1']);

    const report = await hunt(['report', results, '--out', join(tmp, 'report')]);
    expect(report.exitCode, report.all).toBe(0);
    const summary = JSON.parse(readFileSync(join(tmp, 'report', 'summary.json'), 'utf8'));
    const s = summary.runs?.[0]?.summary ?? summary.runs?.[0];
    expect(s.answers.total).toBe(requests[0]! + requests[1]!);
    expect(s.http.p99).toBeGreaterThan(0);
    // The engine ran outside the harness: nothing audited it, and its figures are unknown.
    expect(s.lost).toBeNull();
    const run0 = summary.runs[0];
    expect(run0.verdict).toBe('fail');
    expect(run0.metrics['backlog.max']).toBeNull();
    expect(run0.metrics['http.p99']).toBe(s.http.p99);
    const dlqBudget = s.budgets.find((b: { name: string }) => b.name === 'dlq_rate');
    expect(dlqBudget).toMatchObject({ value: null, pass: false });
  }, 120_000);

  it('a pod missing from the import leaves the run incomplete and its HTTP figures unknown', async () => {
    const manifests = join(tmp, 'manifests');
    const volume = join(tmp, 'volume');
    const one = join(volume, readdirSync(volume).sort()[0]!);
    const out = join(tmp, 'partial');
    const imp = await hunt(['k6-operator', 'import', manifests, one, '--out', out]);
    expect(imp.exitCode, imp.all).toBe(4);
    expect(imp.all).toMatch(/MISSING: instance\(s\) 2/);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).complete).toBe(false);
    const report = await hunt(['report', out, '--out', join(tmp, 'partial-report')]);
    expect(report.exitCode, report.all).toBe(0);
    const summary = JSON.parse(readFileSync(join(tmp, 'partial-report', 'summary.json'), 'utf8'));
    const s = summary.runs?.[0]?.summary ?? summary.runs?.[0];
    expect(s.http).toBeNull();
    expect(s.complete).toBe(false);
  }, 60_000);

  it("refuses a file that is not a runner pod's, naming it", async () => {
    const bad = join(tmp, 'bad.csv.gz');
    writeFileSync(bad, 'not gzip');
    const imp = await hunt([
      'k6-operator',
      'import',
      join(tmp, 'manifests'),
      bad,
      '--out',
      join(tmp, 'bad'),
    ]);
    expect(imp.exitCode).toBe(2);
    expect(imp.all).toContain(bad);
  }, 60_000);
});
