/**
 * A three-broker Kafka cluster (`hunt stack up --kafka-brokers 3`): each broker behind its own
 * proxy, replication over the peer proxies with the cross-zone latency, RF 3 and
 * min.insync.replicas 2; a run that loses the busiest partition's leader mid-load loses
 * nothing and its timeline shows the election; the stack goes down leaving nothing behind.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toxiproxyApi } from '../../chaos/toxiproxy.ts';
import { Audit, ChaosRecord, TimelinePoint } from '../../contract/schema.ts';
import { allBrokerPorts, kafkaBootstrap } from '../../drivers/kafka/cluster.ts';
import { createTopicsLed } from '../../drivers/kafka/topics.ts';
import { toxiproxyUrl } from '../../stack/components/toxiproxy.ts';
import { listDaemons, pidAlive, portInUse } from '../../stack/process.ts';
import { readStackInfo } from '../../stack/stack.ts';
import { stackStatus } from '../../system/stack.ts';
import { hunt, startTestStack, type TestStack } from './stack-fixture.ts';

const CLUSTER = { brokers: 3, crossZoneMs: 0.7 };
let stack: TestStack | undefined;
const work = mkdtempSync(join(tmpdir(), 'hunt-cluster-'));

beforeAll(async () => {
  stack = await startTestStack(() => {}, { options: { kafka: CLUSTER } });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const s = () => stack as TestStack;
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;

describe('a three-broker Kafka cluster', () => {
  it('serves each broker through its own proxy and replicates 3 ways, min.insync.replicas 2', async () => {
    expect(readStackInfo(s().paths)?.options.kafka).toEqual(CLUSTER);
    expect((await stackStatus(s().paths, s().ports)).up).toBe(true);
    const config = {
      clientId: 'cluster-test',
      brokers: kafkaBootstrap(s().ports, CLUSTER),
      logLevel: logLevel.NOTHING,
    };
    const kafka = new Kafka(config);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeCluster();
      expect(described.brokers.map((b) => b.port).sort()).toEqual(
        allBrokerPorts(s().ports, 3).map((b) => b.proxy),
      );
      await createTopicsLed(config, [{ topic: 't', numPartitions: 4 }]);
      const md = await admin.fetchTopicMetadata({ topics: ['t'] });
      for (const p of md.topics[0]?.partitions ?? []) {
        expect(p.replicas).toHaveLength(3);
        expect(p.isr).toHaveLength(3);
      }
      const configs = await admin.describeConfigs({
        resources: [{ type: 2, name: 't', configNames: ['min.insync.replicas'] }],
        includeSynonyms: false,
      });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
    } finally {
      await admin.disconnect();
    }
    // The replication links carry the cross-zone latency, 0.7 ms rounded up to 1 ms each way,
    // and a chaos reset keeps it.
    const api = toxiproxyApi(toxiproxyUrl(s().ports));
    await api.reset();
    const peers = (await api.proxies()).filter((p) => p.name.endsWith('-peer'));
    expect(peers.map((p) => p.name).sort()).toEqual([
      'kafka-1-peer',
      'kafka-2-peer',
      'kafka-3-peer',
    ]);
    for (const p of peers) {
      expect(p.toxics.sort()).toEqual([
        'baseline-cross-zone-downstream',
        'baseline-cross-zone-upstream',
      ]);
    }
    // A plan's `kafka-2` is broker 2's client and replication proxies; `kafka` is every broker's.
    const toxic = { type: 'latency', stream: 'downstream' as const, toxicity: 1 };
    await api.addToxic('kafka-2', { ...toxic, name: 'one', attributes: { latency: 5 } });
    await api.addToxic('kafka', { ...toxic, name: 'all', attributes: { latency: 5 } });
    const withToxic = (name: string) =>
      api.proxies().then((ps) => ps.filter((p) => p.toxics.includes(name)).map((p) => p.name));
    expect((await withToxic('one')).sort()).toEqual(['kafka-2', 'kafka-2-peer']);
    expect(await withToxic('all')).toHaveLength(6);
    await api.reset();
    expect(await withToxic('all')).toHaveLength(0);
    expect(await withToxic('baseline-cross-zone-upstream')).toHaveLength(3);
  });

  it('loses nothing when the busiest partition leader is killed under load, and shows the election', async () => {
    const plan = join(work, 'kill-leader.yaml');
    writeFileSync(
      plan,
      [
        'description: The busiest partition leader killed, restarted after 12 s.',
        'duration: 25s',
        'steps:',
        '  - at: 6s',
        '    for: 12s',
        '    kill: { process: broker }',
        '',
      ].join('\n'),
    );
    // An election takes seconds, so only the loss budget applies: exit 0 means nothing lost.
    const budgets = join(work, 'budgets.yaml');
    writeFileSync(budgets, 'lost_events: 0\n');
    const out = join(work, 'run');
    const result = await hunt(
      [
        'run',
        ...['--backend', 'kafka', '--scenario', 'smoke', '--plan', plan, '--budgets', budgets],
        ...['--duration', '25s', '--drain-timeout', '60', '--out', out],
      ],
      s().env,
    );
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const audit = Audit.parse(json(join(out, 'audit.json')));
    expect(audit.accepted).toBeGreaterThan(0);
    expect(audit.lost).toBe(0);
    const chaos = ChaosRecord.parse(json(join(out, 'chaos.json')));
    expect(chaos.events[0]).toMatchObject({ kind: 'kill', error: null });
    const timeline = readFileSync(join(out, 'timeline.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => TimelinePoint.parse(JSON.parse(l)));
    expect(timeline.some((p) => typeof p.kafkaLeader === 'number')).toBe(true);
    expect(timeline.at(-1)?.kafkaLeaderChanges).toBeGreaterThan(0);
  });

  it('goes down leaving no process and no port', async () => {
    const pids = listDaemons(s().paths.state).map((d) => d.pid);
    expect(pids.length).toBeGreaterThanOrEqual(6);
    const ports = allBrokerPorts(s().ports, 3).flatMap((b) => Object.values(b).slice(1));
    await s().stop();
    stack = undefined;
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    for (const port of ports) expect(await portInUse(port)).toBe(false);
  });
});
