/**
 * `npm run bench:kafka-cluster`: CPU and RSS of one broker against a three-broker cluster on
 * this machine, idle and under load (a kafkajs idempotent acks=all producer through the
 * proxies at a fixed rate), each on a private stack. CPU % is of one core, summed over the
 * brokers; RSS is summed too. Prints figures; not a timed test.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { type KafkaCluster, kafkaBootstrap } from '../drivers/kafka/cluster.ts';
import { kafka as kafkaComponent } from '../drivers/kafka/component.ts';
import { createTopicsLed } from '../drivers/kafka/topics.ts';
import { sampleProcesses } from '../run/sampling/procstats.ts';
import { readDaemon } from '../stack/process.ts';
import { daemonsOf } from '../stack/stack.ts';
import { startPrivateStack } from '../system/private-stack.ts';

const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 10);
const LOAD_S = Number(process.env.BENCH_LOAD_S ?? 15);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);

interface Figures {
  cpuPct: number;
  rssMiB: number;
}

async function measure(pids: Record<string, number>, seconds: number): Promise<Figures> {
  await sampleProcesses(pids); // pidusage's CPU is the share since the previous call
  const samples: Figures[] = [];
  for (let i = 0; i < seconds; i++) {
    await sleep(1_000);
    const s = Object.values(await sampleProcesses(pids));
    samples.push({
      cpuPct: s.reduce((a, p) => a + p.cpuPct, 0),
      rssMiB: s.reduce((a, p) => a + p.rssMiB, 0),
    });
  }
  const mean = (k: keyof Figures) => samples.reduce((a, s) => a + s[k], 0) / samples.length;
  return { cpuPct: mean('cpuPct'), rssMiB: Math.max(...samples.map((s) => s.rssMiB)) };
}

async function load(brokers: string[], seconds: number, stop: Promise<Figures>) {
  const config = { clientId: 'bench', brokers, logLevel: logLevel.NOTHING };
  await createTopicsLed(config, [{ topic: 'bench', numPartitions: 4 }]);
  const kafka = new Kafka(config);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const value = Buffer.alloc(200, 'x');
  let sent = 0;
  const until = Date.now() + seconds * 1_000;
  // Ten sends a second, RATE/10 records each, on the wall clock.
  for (let tick = 0; Date.now() < until; tick++) {
    const batch = Array.from({ length: RATE / 10 }, (_, i) => ({ key: String(i), value }));
    await producer.send({ topic: 'bench', acks: -1, messages: batch });
    sent += batch.length;
    const next = until - seconds * 1_000 + (tick + 1) * 100;
    if (next > Date.now()) await sleep(next - Date.now());
  }
  const figures = await stop;
  await producer.disconnect();
  return { figures, ratePerS: sent / seconds };
}

async function bench(cluster: KafkaCluster) {
  const stack = await startPrivateStack(() => {}, { options: { kafka: cluster } });
  try {
    const ctx = { ports: stack.ports, options: { kafka: cluster } };
    const pids = Object.fromEntries(
      daemonsOf(kafkaComponent, ctx).map((n) => [n, readDaemon(stack.paths.state, n)?.pid ?? 0]),
    );
    await sleep(5_000); // past the start's own work
    const idle = await measure(pids, IDLE_S);
    const loaded = await load(kafkaBootstrap(stack.ports, cluster), LOAD_S, measure(pids, LOAD_S));
    return { idle, loaded: loaded.figures, ratePerS: loaded.ratePerS };
  } finally {
    await stack.stop();
  }
}

const fmt = (f: Figures) => `CPU ${f.cpuPct.toFixed(1)} %, RSS ${f.rssMiB.toFixed(0)} MiB`;
for (const cluster of [
  { brokers: 1, crossZoneMs: 0 },
  { brokers: 3, crossZoneMs: 0.7 },
]) {
  const r = await bench(cluster);
  console.log(
    `${cluster.brokers} broker(s): idle ${fmt(r.idle)}; loaded (${Math.round(r.ratePerS)} records/s of 200 B, acks=all) ${fmt(r.loaded)}`,
  );
}
