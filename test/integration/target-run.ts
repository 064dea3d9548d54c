/**
 * `hunt run --target` as the target tests run it, and what they check of its results: the
 * run is complete with nothing lost, records older than the run are not counted, only
 * Toxiproxy was started, and no secret is in any file of the results (report included).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Kafka, type KafkaConfig } from 'kafkajs';
import { expect } from 'vitest';
import { Audit, RunManifest, Summary } from '../../contract/schema.ts';
import { createTopicsLed } from '../../drivers/kafka/topics.ts';
import { hunt } from './stack-fixture.ts';

export const OLD_IDS = ['old-event-1', 'old-event-2', 'old-event-3', 'old-event-4', 'old-event-5'];

export const oldEvent = (id: string) =>
  JSON.stringify({ id, type: 'player.joined', huntId: 'h1', playerId: 'p1', ts: 1, payload: {} });

/** A topic and its DLQ as a target finds them: existing, with records from before the run. */
export async function existingKafkaTopic(
  config: KafkaConfig & { brokers: string[] },
  topic: string,
): Promise<void> {
  await createTopicsLed(
    config,
    [topic, `${topic}-dlq`].map((t) => ({ topic: t, numPartitions: 2 })),
  );
  const producer = new Kafka(config).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: OLD_IDS.map((id, i) => ({ key: `h${i}`, value: oldEvent(id) })),
  });
  await producer.disconnect();
}

export const work = mkdtempSync(join(tmpdir(), 'hunt-target-'));
// A fault on what the harness owns runs against a target too: the fulfillment service's proxy
// is cut for 4 s, the backlog builds, the backlog alert fires and the webhook is tried.
const plan = join(work, 'downstream-cut.yaml');
writeFileSync(
  plan,
  'description: downstream cut\nduration: 12s\nsteps:\n  - { at: 2s, for: 4s, disable: { proxy: downstream } }\n',
);
const budgets = join(work, 'budgets.yaml');
writeFileSync(budgets, 'http_p99_ms: 10000\nerror_rate: 0.05\nlost_events: 0\n');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every file of the results dir, gzip ones unpacked: no secret is in any. */
function expectNoSecret(dir: string, secrets: string[]): void {
  const files = filesUnder(dir);
  expect(files.length).toBeGreaterThan(8);
  for (const f of files) {
    const raw = readFileSync(f);
    const text = (f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    for (const s of secrets) expect(text.includes(s), `${f} holds a secret`).toBe(false);
  }
}

const json = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as unknown;

export function targetRun(
  env: Record<string, string>,
  file: string,
  out: string,
  extra: string[] = [],
) {
  return hunt(
    ['run', '--target', file, '--scenario', 'smoke', '--plan', plan, '--out', out]
      .concat(['--drain-timeout', '60', '--budgets', budgets])
      .concat(extra),
    env,
  );
}

export async function expectTargetResults(
  env: Record<string, string>,
  out: string,
  backend: 'kafka' | 'kinesis',
  log: string,
  secrets: string[],
): Promise<RunManifest> {
  const summary = Summary.parse(json(join(out, 'summary.json')));
  expect(summary, log).toMatchObject({ complete: true, lost: 0, backend });
  expect(summary.accepted).toBeGreaterThan(20);
  // The engine's group started at the run's start: it applied no record of before the run.
  expect(summary.delivered).toBe(summary.accepted);
  const audit = Audit.parse(json(join(out, 'audit.json')));
  expect(audit).toMatchObject({ foreign: { count: 0 }, unwitnessed: 0 });
  expect(JSON.stringify(audit)).not.toMatch(/old-event-/);
  const manifest = RunManifest.parse(json(join(out, 'run.json')));
  expect(manifest.emulation).toEqual({});
  expect(manifest.target).toMatchObject({ backend, createTopic: false });
  expect(manifest.engineSettings).toMatchObject({ group: `hunt-engine-${manifest.runId}` });
  // The webhook was tried and failed (nothing listens): its log line holds the URL, redacted.
  const engineLog = readFileSync(join(out, 'logs', 'engine.log'), 'utf8');
  expect(engineLog).toMatch(/alert webhook failed.*\[redacted\]/);
  // The target runs on this machine: no managed service. A Kafka broker on loopback is real
  // Kafka with no network path to it; a Kinesis API on loopback is no part of AWS's service.
  const dims = manifest.fidelity?.dimensions ?? {};
  expect(Object.keys(dims).length).toBeGreaterThan(0);
  for (const [name, d] of Object.entries(dims) as [string, { level: string }][]) {
    if (backend === 'kinesis') expect(d.level, name).toBe('absent');
    else expect(name === 'network' ? ['absent'] : ['real', 'n/a'], name).toContain(d.level);
  }
  // Only Toxiproxy was started for the run; no local broker.
  expect(log).toMatch(/\[stack\] toxiproxy/);
  expect(log).not.toMatch(/\[stack\] (kafka|kinesalite)/);
  const report = await hunt(['report', out, '--out', join(out, 'report')], env);
  expect(report.exitCode, report.stderr).toBe(0);
  const gate = await hunt(['gate', out, '--budgets', budgets], env);
  expect(gate.exitCode, gate.stdout + gate.stderr).toBe(0);
  expectNoSecret(out, secrets);
  for (const s of secrets) expect(log.includes(s), 'the run printed a secret').toBe(false);
  return manifest;
}
