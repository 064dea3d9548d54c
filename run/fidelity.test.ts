import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../common/user-error.ts';
import { parseServiceModel } from '../contract/service-model.ts';
import {
  type KafkaCluster,
  SINGLE_BROKER as ONE,
  SINGLE_BROKER,
} from '../drivers/kafka/cluster.ts';
import { profileCluster } from '../drivers/kafka/driver.ts';
import { engineSettingsOf, serviceModelOf } from '../drivers/kinesis/fidelity.ts';
import { driverOf } from '../drivers/registry.ts';
import {
  FIDELITY_DIR,
  loadFidelityProfile,
  runFidelity,
  shippedFidelityProfiles,
} from './fidelity.ts';

/** What a stack ran: its Kafka cluster, and whether the Kinesis service model held limits. */
const stackFacts = (quota: boolean, cluster: KafkaCluster = ONE) => ({
  options: { kafka: cluster },
  partitions: 4,
  quota: quota ? 1 : null,
});

const dir = mkdtempSync(join(tmpdir(), 'hunt-fidelity-'));
function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}
const minimal = (kinesis: string) => `name: t
version: 1
description: test
kinesis:
  capacityMode: { value: provisioned, status: published, source: https://example.org/a }
  burstSeconds: { value: 0, status: published, source: https://example.org/a }
  pollMs: { value: 200, status: assumed, note: why }
  consumerApps: { value: 1, status: assumed, note: why }
  latency: {}
${kinesis}`;

describe('fidelity profiles', () => {
  it('ships loopback, aws-provisioned, aws-on-demand and kafka-3az, each valid', () => {
    const names = shippedFidelityProfiles();
    expect(names).toEqual(
      expect.arrayContaining(['loopback', 'aws-provisioned', 'aws-on-demand', 'kafka-3az']),
    );
    for (const n of names) {
      const { profile } = loadFidelityProfile(n);
      expect(profile.name).toBe(n);
      // The quota layer accepts the model each profile sets.
      parseServiceModel(serviceModelOf(profile, 1));
    }
  });

  it('rejects an unknown key, naming the file and the field', () => {
    const f = file('extra.yaml', minimal('  shardz: 3\n'));
    expect(() => loadFidelityProfile(f)).toThrow(UserError);
    expect(() => loadFidelityProfile(f)).toThrow(/extra\.yaml: kinesis: .*shardz/);
  });

  it('requires a source for published values, a date and method for measured ones, a note for assumptions', () => {
    const noSource = file(
      'nosource.yaml',
      minimal('').replace('status: published, source: https://example.org/a', 'status: published'),
    );
    expect(() => loadFidelityProfile(noSource)).toThrow(/capacityMode\.source: .*URL/);
    const measured = file(
      'measured.yaml',
      minimal('').replace(
        'pollMs: { value: 200, status: assumed, note: why }',
        'pollMs: { value: 200, status: measured }',
      ),
    );
    expect(() => loadFidelityProfile(measured)).toThrow(/pollMs\.measured/);
    const dated = file(
      'dated.yaml',
      minimal('').replace(
        'pollMs: { value: 200, status: assumed, note: why }',
        'pollMs: { value: 200, status: measured, measured: { date: 2026-11-25, how: timed a thousand calls } }',
      ),
    );
    expect(loadFidelityProfile(dated).profile.kinesis?.pollMs.status).toBe('measured');
    const bare = file('bare.yaml', minimal('').replace(', note: why }', ' }'));
    expect(() => loadFidelityProfile(bare)).toThrow(/pollMs\.note/);
  });

  it('refuses an unknown profile name with the shipped ones listed', () => {
    expect(() => loadFidelityProfile('aws-nope')).toThrow(/no profile 'aws-nope'.*loopback/);
  });

  it('loopback sets no latency and the cadence of today', () => {
    const { profile } = loadFidelityProfile('loopback');
    expect(serviceModelOf(profile, 1)).toMatchObject({
      latency: {},
      burstSeconds: 0,
      consumerApps: 1,
      capacity: { mode: 'provisioned' },
    });
    expect(engineSettingsOf(profile)).toEqual({ kinesisPollMs: '200' });
  });

  it("the AWS profiles carry AWS's published control-plane limits, each with its source", () => {
    for (const name of ['aws-provisioned', 'aws-kcl', 'aws-on-demand']) {
      const { profile } = loadFidelityProfile(name);
      expect(serviceModelOf(profile, 1).controlPlane).toMatchObject({
        ListShards: { perS: 1000, per: 'stream' },
        DescribeStream: { perS: 10, per: 'account' },
        DescribeStreamSummary: { perS: 20, per: 'account' },
      });
      for (const p of Object.values(profile.kinesis?.controlPlane ?? {}))
        expect(p.source).toMatch(
          /^https:\/\/docs\.aws\.amazon\.com\/kinesis\/latest\/APIReference\//,
        );
    }
  });

  it('aws-on-demand sets a new stream of 4,000 records/s and 4 MB/s, scaled after 15 minutes', () => {
    const { profile } = loadFidelityProfile('aws-on-demand');
    expect(serviceModelOf(profile, 1).capacity).toMatchObject({
      mode: 'on-demand',
      recordsPerS: 4000,
      bytesPerS: 4_000_000,
      scaleAfterMs: 900_000,
      keyRecordsPerS: 1000,
    });
  });

  it('brings up the cluster a profile asks for, unless the environment says otherwise', () => {
    const three = loadFidelityProfile('kafka-3az').profile;
    expect(profileCluster(three, {})).toEqual({ brokers: 3, crossZoneMs: 0.7 });
    expect(profileCluster(loadFidelityProfile('loopback').profile, {})).toEqual(SINGLE_BROKER);
    expect(profileCluster(three, { HUNT_KAFKA_BROKERS: '1' })).toEqual(SINGLE_BROKER);
  });

  it('leaves kafka-3az replication unknown on a three-broker stack until the topic is read back, the zones emulated', () => {
    const loaded = loadFidelityProfile('kafka-3az');
    const f = runFidelity(
      loaded,
      driverOf('kafka'),
      stackFacts(false, { brokers: 3, crossZoneMs: 0.7 }),
    );
    // Three brokers may replicate: the topic the broker made decides (readBack), not the stack's
    // configuration. The distance between zones is a delay the stack adds.
    expect(f.dimensions.replication).toMatchObject({ level: 'unknown' });
    expect(f.dimensions.replication?.note).toMatch(/not yet read back/);
    expect(f.dimensions.network?.level).toBe('emulated');
  });

  it('records kafka-3az replication as absent on a one-broker stack, not emulated', () => {
    const loaded = loadFidelityProfile('kafka-3az');
    const f = runFidelity(loaded, driverOf('kafka'), stackFacts(false, SINGLE_BROKER));
    expect(f.dimensions.replication).toMatchObject({ level: 'absent' });
    expect(f.dimensions.replication?.note).toMatch(
      /3 brokers, RF 3, min.insync.replicas 2.*not yet emulated/,
    );
    expect(f.dimensions.network?.note).toMatch(/0.7 ms one way.*not yet emulated/);
    expect(f.file).toBe('scenarios/fidelity/kafka-3az.yaml');
  });

  it('grades a dimension by its weakest parameter', () => {
    const f = runFidelity(
      loadFidelityProfile('aws-provisioned'),
      driverOf('kinesis'),
      stackFacts(true, SINGLE_BROKER),
    );
    expect(f.dimensions.produceLatency).toMatchObject({ level: 'emulated', status: 'assumed' });
    // The stated capacity scales the write limits by the harness's own choice of scale.
    expect(f.dimensions.shardLimits).toMatchObject({ level: 'emulated', status: 'assumed' });
    expect(f.dimensions.failureModel).toMatchObject({ level: 'absent' });
    const unscaled = runFidelity(
      loadFidelityProfile('loopback'),
      driverOf('kinesis'),
      stackFacts(true, SINGLE_BROKER),
    );
    expect(unscaled.dimensions.shardLimits).toMatchObject({
      level: 'emulated',
      status: 'published',
    });
    const loop = runFidelity(
      loadFidelityProfile('loopback'),
      driverOf('kinesis'),
      stackFacts(true, SINGLE_BROKER),
    );
    expect(loop.dimensions.produceLatency).toMatchObject({ level: 'absent' });
    expect(
      runFidelity(
        loadFidelityProfile('loopback'),
        driverOf('kinesis'),
        stackFacts(false, SINGLE_BROKER),
      ).dimensions.shardLimits,
    ).toMatchObject({ level: 'absent' });
  });

  it('refuses a capacity a run could not hold, naming the file and the field', () => {
    const cap = (body: string) =>
      `${minimal('')}capacity:\n  scale: { value: 0.01, status: assumed, note: why }\n${body}`;
    const noShards = file('noshards.yaml', cap('  kinesis: {}\n'));
    expect(() => loadFidelityProfile(noShards)).toThrow(
      /noshards\.yaml: capacity\.kinesis\.shards: is required for a provisioned stream/,
    );
    const big = file('big.yaml', cap('').replace('scale: { value: 0.01', 'scale: { value: 2'));
    expect(() => loadFidelityProfile(big)).toThrow(/big\.yaml: capacity\.scale\.value: /);
    const unsourced = file(
      'unsourced.yaml',
      cap(
        '  kafka:\n    brokerSize: { value: express.m7g.large, status: published }\n    brokers: { value: 3, status: assumed, note: n }\n    ingressBytesPerS: { value: 15600000, status: assumed, note: n }\n',
      ),
    );
    expect(() => loadFidelityProfile(unsourced)).toThrow(
      /unsourced\.yaml: capacity\.kafka\.brokerSize\.source: .*URL/,
    );
    const shipped = readFileSync(join(FIDELITY_DIR, 'aws-provisioned.yaml'), 'utf8');
    const mismatch = file(
      'mismatch.yaml',
      shipped.replace(/(capacity:[\s\S]*?brokers:\n\s+value: )3/, '$12'),
    );
    expect(() => loadFidelityProfile(mismatch)).toThrow(
      /mismatch\.yaml: capacity\.kafka\.brokers: must match kafka\.brokers \(3\)/,
    );
    const onDemand = readFileSync(join(FIDELITY_DIR, 'aws-on-demand.yaml'), 'utf8');
    const shards = file(
      'od.yaml',
      onDemand.replace(
        /(capacity:[\s\S]*? {2}kinesis:\n)/,
        '$1    shards: { value: 4, status: assumed, note: n }\n',
      ),
    );
    expect(() => loadFidelityProfile(shards)).toThrow(
      /od\.yaml: capacity\.kinesis\.shards: an on-demand stream has no stated shards/,
    );
  });

  it('holds the shipped AWS profiles below what this machine sustains: 150 to 600 events/s each', () => {
    for (const name of ['aws-provisioned', 'aws-kcl']) {
      const loaded = loadFidelityProfile(name);
      for (const backend of ['kafka', 'kinesis']) {
        const f = runFidelity(loaded, driverOf(backend), stackFacts(true, SINGLE_BROKER));
        expect(f.capacity?.enforced).toBe(true);
        expect(f.capacity?.eventsPerS).toBeGreaterThanOrEqual(150);
        expect(f.capacity?.eventsPerS).toBeLessThanOrEqual(600);
      }
    }
    const od = runFidelity(
      loadFidelityProfile('aws-on-demand'),
      driverOf('kinesis'),
      stackFacts(true),
    );
    expect(od.capacity?.eventsPerS).toBeGreaterThanOrEqual(150);
    expect(od.capacity?.eventsPerS).toBeLessThanOrEqual(600);
  });

  it('records the capacity as stated and as held, or none where the profile states none', () => {
    const loaded = loadFidelityProfile('aws-provisioned');
    const kafka = runFidelity(loaded, driverOf('kafka'), stackFacts(true, SINGLE_BROKER));
    expect(kafka.capacity).toMatchObject({ stated: '3 × express.m7g.large', enforced: true });
    expect(kafka.dimensions.capacityMode).toMatchObject({ level: 'emulated', status: 'assumed' });
    const kinesisOff = runFidelity(loaded, driverOf('kinesis'), stackFacts(false));
    expect(kinesisOff.capacity).toMatchObject({ enforced: false, recordsPerS: null });
    expect(kinesisOff.dimensions.capacityMode).toMatchObject({ level: 'absent' });
    const loop = runFidelity(loadFidelityProfile('loopback'), driverOf('kafka'), stackFacts(true));
    expect(loop.capacity).toBeUndefined();
    expect(loop.dimensions.capacityMode).toMatchObject({ level: 'n/a' });
  });

  it('a --target run holds nothing and records that the service has its own capacity', () => {
    const target = {
      file: 't.yaml',
      backend: 'kafka',
      brokers: ['10.0.0.1:9092'],
      region: null,
      kinesisEndpoint: null,
      topic: 't',
      dlqTopic: 't-dlq',
      createTopic: false,
      tls: false,
      saslMechanism: null,
      saslUsername: null,
    };
    const loaded = loadFidelityProfile('aws-provisioned');
    for (const backend of ['kafka', 'kinesis']) {
      const f = runFidelity(loaded, driverOf(backend), { target: { ...target, backend } });
      expect(f.capacity).toMatchObject({ enforced: false, bytesPerS: null, recordsPerS: null });
      expect(f.capacity?.line).toMatch(/not enforced, the target's own capacity$/);
    }
  });
});
