import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { RunTargetRecord } from '../contract/schema.ts';
import { driverOf } from '../drivers/registry.ts';
import { loadFidelityProfile, runFidelity } from '../run/fidelity.ts';
import { figureWeakness } from './fidelity-figures.ts';
import { fidelitySection } from './fidelity-section.ts';
import type { RunData } from './read-run.ts';

const target: RunTargetRecord = {
  file: 'aws.yaml',
  backend: 'kinesis',
  brokers: null,
  region: 'eu-west-1',
  kinesisEndpoint: null,
  topic: 'orders',
  dlqTopic: 'orders-dlq',
  createTopic: false,
  tls: false,
  saslMechanism: null,
  saslUsername: null,
};

test('a run against the real service claims no emulation: every dimension real, no figure badged', () => {
  const fidelity = runFidelity(loadFidelityProfile('loopback'), driverOf('kinesis'), {
    target,
  });
  for (const d of Object.values(fidelity.dimensions)) expect(d.level).toBe('real');
  expect(figureWeakness('http.p99', fidelity)).toBeNull();
  expect(figureWeakness('e2e.p99', fidelity)).toBeNull();
  const run = {
    dir: mkdtempSync(join(tmpdir(), 'hunt-fid-target-')),
    manifest: { backend: 'kinesis', fidelity, target, emulation: {} },
  } as unknown as RunData;
  const html = fidelitySection([run], ['aws']);
  expect(html).toContain('real kinesis: AWS eu-west-1, stream orders (existing)');
  expect(html).not.toMatch(/kinesalite|emulated \(|absent<div/);
});

test('a target on this machine is no managed service: a loopback Kinesis API is not AWS, loopback Kafka has no network', () => {
  const local = { ...target, kinesisEndpoint: 'http://127.0.0.1:4567' };
  const kinesis = runFidelity(loadFidelityProfile('loopback'), driverOf('kinesis'), {
    target: local,
  });
  for (const d of Object.values(kinesis.dimensions)) expect(d.level).toBe('absent');
  expect(kinesis.dimensions.produceLatency?.note).toMatch(/an API on this machine, not AWS's/);
  const kafka = runFidelity(loadFidelityProfile('loopback'), driverOf('kafka'), {
    target: { ...target, backend: 'kafka', brokers: ['127.0.0.1:9092'], kinesisEndpoint: null },
  });
  expect(kafka.dimensions.network).toMatchObject({ level: 'absent' });
  expect(kafka.dimensions.replication).toMatchObject({ level: 'real' });
  const remote = runFidelity(loadFidelityProfile('loopback'), driverOf('kafka'), {
    target: { ...target, backend: 'kafka', brokers: ['b-1.msk.example.com:9098'] },
  });
  expect(remote.dimensions.network).toMatchObject({ level: 'real' });
});
