/**
 * `hunt run --target <file>` against a broker the run does not own: the private stack's
 * Kafka (direct listener) and kinesalite stand in for a managed cluster and an AWS stream.
 * The run starts only Toxiproxy of its own, uses the existing topic/stream as is, leaves it,
 * does not count what it held before the run, and writes no secret anywhere in its results.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit, RunManifest, Summary } from '../../reports/schema.ts';
import { hunt, startTestStack, type TestStack, testEnv } from './stack-fixture.ts';

// A webhook URL carrying its token, as Slack's do: the engine must carry it and never write it.
const TOKEN = 'T0SECRET-tok-5f3a9c77e1';
const WEBHOOK = `http://127.0.0.1:9/hooks/${TOKEN}`;
const OLD_IDS = ['old-event-1', 'old-event-2', 'old-event-3', 'old-event-4', 'old-event-5'];

let stack: TestStack;
let runEnv: Record<string, string>;
const work = mkdtempSync(join(tmpdir(), 'hunt-target-'));
// A fault on what the harness owns runs against a target too: the fulfillment service's proxy
// is cut for 4 s, the backlog builds, the backlog alert fires and the webhook is tried.
const plan = join(work, 'downstream-cut.yaml');
writeFileSync(
  plan,
  'description: downstream cut\nduration: 12s\nsteps:\n  - { at: 2s, for: 4s, disable: { proxy: downstream } }\n',
);
const budgets = join(work, 'budgets.yaml');
writeFileSync(budgets, 'http_p99_ms: 10000\nerror_rate: 0.05\nlost_events: 0\n');

beforeAll(async () => {
  stack = await startTestStack();
  // The run's own state dir and ports: no stack there, so the run brings up Toxiproxy alone.
  runEnv = (await testEnv()).env;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const oldEvent = (id: string) =>
  JSON.stringify({ id, type: 'player.joined', huntId: 'h1', playerId: 'p1', ts: 1, payload: {} });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every file of the results dir, gzip ones unpacked: the token is in none. */
function expectNoSecret(dir: string): void {
  const files = filesUnder(dir);
  expect(files.length).toBeGreaterThan(8);
  for (const f of files) {
    const raw = readFileSync(f);
    const text = (f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    expect(text.includes(TOKEN), `${f} holds the secret`).toBe(false);
  }
}

const json = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as unknown;

async function targetRun(file: string, out: string, extra: string[] = []) {
  const run = await hunt(
    [
      'run',
      '--target',
      file,
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
      ...extra,
    ],
    runEnv,
  );
  return run;
}

async function expectTargetResults(out: string, backend: 'kafka' | 'kinesis', log: string) {
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
  for (const d of Object.values(manifest.fidelity?.dimensions ?? {}))
    expect(['real', 'n/a']).toContain(d.level);
  // Only Toxiproxy was started for the run; no local broker.
  expect(log).toMatch(/\[stack\] toxiproxy/);
  expect(log).not.toMatch(/\[stack\] (kafka|kinesalite)/);
  const report = await hunt(['report', out, '--out', join(out, 'report')], runEnv);
  expect(report.exitCode, report.stderr).toBe(0);
  const gate = await hunt(['gate', out, '--budgets', budgets], runEnv);
  expect(gate.exitCode, gate.stdout + gate.stderr).toBe(0);
  expectNoSecret(out);
}

describe('a Kafka target: an existing topic on a broker the run does not own', () => {
  const topic = 'existing-orders';
  let kafka: Kafka;
  let file: string;

  beforeAll(async () => {
    kafka = new Kafka({
      brokers: [`127.0.0.1:${stack.ports.kafka}`],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [topic, `${topic}-dlq`].map((t) => ({ topic: t, numPartitions: 2 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: OLD_IDS.map((id, i) => ({ key: `h${i}`, value: oldEvent(id) })),
    });
    await producer.disconnect();
    file = join(work, 'kafka-target.yaml');
    writeFileSync(
      file,
      [
        'backend: kafka',
        `brokers: [127.0.0.1:${stack.ports.kafka}]`,
        `topic: ${topic}`,
        'createTopic: false',
        `alertWebhook: ${WEBHOOK}`,
        // Fires while the downstream is cut, so the engine tries the webhook and logs its failure.
        'alertBacklog: 1',
        'alertBacklogForS: 0',
      ].join('\n'),
    );
  }, 60_000);

  it('refuses, before anything starts, a missing topic and a plan that hurts the broker', async () => {
    const missing = join(work, 'missing.yaml');
    writeFileSync(
      missing,
      `backend: kafka\nbrokers: [127.0.0.1:${stack.ports.kafka}]\ntopic: no-such-topic\ncreateTopic: false\n`,
    );
    const a = await targetRun(missing, join(work, 'missing-out'));
    expect(a.exitCode).toBe(2);
    // The last line: kafkajs may have Node warn about a timer first.
    expect(a.stderr.trim().split('\n').at(-1)).toMatch(
      /^hunt: --target \S+missing\.yaml: topics 'no-such-topic' and 'no-such-topic-dlq' do not exist and createTopic is false/,
    );
    const b = await targetRun(file, join(work, 'plan-out'), ['--plan', 'broker-latency']);
    expect(b.exitCode).toBe(2);
    expect(b.stderr.trim().split('\n').at(-1)).toMatch(
      /^hunt: --target: plan broker-latency steps\[0\] \(toxic kafka\)/,
    );
  }, 60_000);

  it('runs with nothing lost, old records not counted, the topic left, no secret written', async () => {
    const out = join(work, 'kafka-out');
    const run = await targetRun(file, out);
    const log = `${run.stdout}\n${run.stderr}`;
    expect(run.exitCode, log).toBe(0);
    await expectTargetResults(out, 'kafka', log);
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([topic, `${topic}-dlq`]));
    const low = (await admin.fetchTopicOffsets(topic)).map((p) => Number(p.low));
    await admin.disconnect();
    expect(low).toEqual([0, 0]);
  }, 240_000);
});

describe('a Kinesis target: an existing stream behind an endpoint override', () => {
  const stream = 'existing-stream';
  let client: KinesisClient;
  let file: string;

  beforeAll(async () => {
    client = new KinesisClient({
      region: 'us-east-1',
      // kinesalite speaks HTTP/1.1 only.
      requestHandler: new NodeHttpHandler(),
      endpoint: `http://127.0.0.1:${stack.ports.kinesis}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    for (const s of [stream, `${stream}-dlq`])
      await client.send(new CreateStreamCommand({ StreamName: s, ShardCount: 2 }));
    for (let i = 0; i < 50; i++) {
      const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: OLD_IDS.map((id, i) => ({
          PartitionKey: `h${i}`,
          Data: Buffer.from(oldEvent(id)),
        })),
      }),
    );
    // Arrival times are the run's mark for Kinesis: the old records lie clearly before it.
    await new Promise((r) => setTimeout(r, 1_500));
    file = join(work, 'kinesis-target.yaml');
    writeFileSync(
      file,
      [
        'backend: kinesis',
        `kinesisEndpoint: http://127.0.0.1:${stack.ports.kinesis}`,
        'region: us-east-1',
        `topic: ${stream}`,
        'createTopic: false',
        `alertWebhook: ${WEBHOOK}`,
        'alertBacklog: 1',
        'alertBacklogForS: 0',
      ].join('\n'),
    );
  }, 60_000);

  it('runs with nothing lost, old records not counted, the stream left, no secret written', async () => {
    const out = join(work, 'kinesis-out');
    const run = await targetRun(file, out);
    const log = `${run.stdout}\n${run.stderr}`;
    expect(run.exitCode, log).toBe(0);
    await expectTargetResults(out, 'kinesis', log);
    const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    expect(d.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
    client.destroy();
  }, 240_000);
});
