/**
 * The naive engine at a memory limit: `hunt engine` as a process with a small V8 heap
 * (heapMiB, as a run passes it: --max-old-space-size), its Kafka producer held far below the
 * offered rate by a client quota, so that its unbounded producer queue and the requests
 * waiting on it grow until the heap runs out, or the load ends first. Either way the engine
 * answered 202 only after the broker's ack: every accepted id is in the topic.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defaultConfig, resolveEngineConfig } from '../../engine/config.ts';
import { startFulfillment } from '../../engine/fulfillment/server.ts';
import { HOST } from '../../stack/config.ts';
import { stackQuotaControl } from '../../system/chaos.ts';
import { createBackend } from '../../system/engine.ts';
import { engineUp, spawnEngine } from './engine-spawn.ts';
import { componentsOf, startTestStack, type TestStack } from './stack-fixture.ts';

const HEAP_MIB = Number(process.env.HUNT_TEST_HEAP_MIB ?? 128);
const RATE = 400;
const LOAD_S = 35;

let stack: TestStack;
let fulfillment: FastifyInstance;
const quota = (on: boolean) =>
  stackQuotaControl(stack.paths, stack.ports).set(
    'kafka',
    on ? { mode: 'on', multiplier: 1, producerByteRate: 4096 } : { mode: 'off', multiplier: 1 },
  );
beforeAll(async () => {
  stack = await startTestStack(() => {}, { only: componentsOf('kafka') });
  fulfillment = await startFulfillment({ host: HOST, port: stack.ports.fulfillment });
});
afterAll(async () => {
  await quota(false).catch(() => {});
  await fulfillment?.close();
  await stack?.stop();
});

test(`naive at a ${HEAP_MIB} MiB heap under a Kafka quota: whatever happens, no accepted event is lost`, async () => {
  const topic = `hunt-heap-${Date.now().toString(36)}`;
  const url = `http://${HOST}:${stack.ports.engine}`;
  const e = spawnEngine(
    [
      '--backend',
      'kafka',
      '--topic',
      topic,
      '--set',
      'design=naive',
      '--set',
      `heapMiB=${HEAP_MIB}`,
      '--set',
      'maxBatch=50',
      '--set',
      'maxInFlight=1',
    ],
    stack.env,
    [`--max-old-space-size=${HEAP_MIB}`],
  );
  try {
    await engineUp(e, url);
    await quota(true);
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    const answers: Promise<void>[] = [];
    let queuePeak = 0;
    let rssPeak = 0;
    const heapUsed: number[] = [];
    let i = 0;
    const name = 'x'.repeat(64);
    const shoot = setInterval(() => {
      if (e.proc.exitCode !== null || e.proc.signalCode !== null) return;
      const n = i++;
      answers.push(
        fetch(`${url}/hunts/h${n % 8}/players`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ playerId: `p${n}`, displayName: name }),
        })
          .then(async (r) => {
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            if (r.status === 202) accepted.push(((await r.json()) as { id: string }).id);
          })
          .catch(() => {
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
          }),
      );
    }, 1000 / RATE);
    const sample = setInterval(() => {
      void fetch(`${url}/status`)
        .then((r) => r.json() as Promise<{ backlog: { producerQueue: number } }>)
        .then((s) => {
          queuePeak = Math.max(queuePeak, s.backlog.producerQueue);
        })
        .catch(() => {});
      void fetch(`${url}/metrics`)
        .then((r) => r.text())
        .then((t) => {
          const rss = /^hunt_process_process_resident_memory_bytes (\d+)/m.exec(t);
          if (rss) rssPeak = Math.max(rssPeak, Number(rss[1]) / 2 ** 20);
          const heap = /^hunt_process_nodejs_heap_size_used_bytes (\d+)/m.exec(t);
          if (heap) heapUsed.push(Number(heap[1]) / 2 ** 20);
        })
        .catch(() => {});
    }, 500);
    const died = await Promise.race([
      e.exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), LOAD_S * 1000)),
    ]);
    clearInterval(shoot);
    clearInterval(sample);
    // Lifted: what a live engine still holds reaches the broker and is answered.
    await quota(false);
    await Promise.all(answers);
    const exit = died ? await e.exited : { code: await e.stop(), ms: 0 };
    const signal = e.proc.signalCode;
    const oom = /heap out of memory|Allocation failed/i.test(e.output());

    const config = resolveEngineConfig({
      defaults: defaultConfig({
        engine: 0,
        kafka: `${HOST}:${stack.ports.kafka}`,
        kinesis: 'http://127.0.0.1:1',
        fulfillment: 'http://127.0.0.1:1',
      }),
      flags: { backend: 'kafka', topic },
    });
    const reader = createBackend(config, stack.paths, () => {}, 'hunt-heap-reader');
    const inTopic = new Set<string>();
    await reader.readAll(topic, (r) => {
      inTopic.add(JSON.parse(r.value.toString()).id);
    });
    await reader.close();
    const lost = accepted.filter((id) => !inTopic.has(id));
    console.log(
      `naive, heap ${HEAP_MIB} MiB, Kafka at 4 KiB/s: offered ${i} at ${RATE}/s; ` +
        `${died ? `died ${(exit.ms / 1000).toFixed(1)} s after its spawn (exit ${exit.code ?? signal}${oom ? ', heap out of memory' : ''})` : `alive after ${LOAD_S} s`}; ` +
        `answers ${JSON.stringify(Object.fromEntries(statuses))}; producer queue peak ${queuePeak}, heap used ${heapUsed[0]?.toFixed(0)} MiB at the start of the load, ` +
        `${Math.max(...heapUsed).toFixed(0)} MiB at most, RSS peak ${rssPeak.toFixed(0)} MiB; ` +
        `in topic ${inTopic.size}, accepted ${accepted.length}, accepted and lost ${lost.length}`,
    );
    if (died) expect(oom, e.output().slice(-2000)).toBe(true);
    expect(accepted.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    // Whatever the engine held when it died was never answered 202: not in the topic, not lost.
    expect(inTopic.size).toBeGreaterThanOrEqual(accepted.length);
  } finally {
    await e.stop();
  }
}, 150_000);
