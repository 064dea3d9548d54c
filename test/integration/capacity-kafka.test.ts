/**
 * A stated Kafka capacity on the real broker: a fidelity profile's `capacity` becomes Kafka's
 * own default client quota, held as a run holds it (journaled), and the broker throttles a
 * producer offering three times the capacity down to it; without it the same producer is not
 * held; and the quota is gone after the run, also when the run was killed before undoing it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuotaSetting } from '../../chaos/faults/types.ts';
import { SINGLE_BROKER } from '../../drivers/kafka/cluster.ts';
import { kafkaDriver } from '../../drivers/kafka/driver.ts';
import { kafkaProducerByteRate } from '../../drivers/kafka/quota.ts';
import type { Backend, BackendProducer } from '../../engine/backend.ts';
import { loadFidelityProfile } from '../../run/fidelity.ts';
import { HOST, journalFile } from '../../stack/config.ts';
import { REPO_ROOT, toolPaths } from '../../stack/tools.ts';
import { backendFor } from '../../system/engine.ts';
import { clearLeftovers, holdRunQuota } from '../../system/leftovers.ts';
import { privateStackEnv } from '../../system/private-stack.ts';
import { stackDown, stackUp } from '../../system/stack.ts';

/** The stated capacity: 1 broker of 20 MB/s × 1/100 = 200 KB/s here. */
const C = 200_000;
const RECORD = 1_000;
/**
 * Kafka meters a client over its last 11 one-second samples: an over-eager client sends at
 * its own pace until the window holds ~10 s of quota, then waits for old samples to leave it,
 * a cycle of about 11 s. Its rate is the quota over whole cycles: two of them are measured.
 */
const HELD_S = 22;
const FREE_S = 10;

let env: Awaited<ReturnType<typeof privateStackEnv>>;
let backend: Backend;
let producer: BackendProducer;
const work = mkdtempSync(join(tmpdir(), 'hunt-capacity-'));
const log = () => {};

const profileFile = join(work, 'capacity.yaml');
writeFileSync(
  profileFile,
  `name: capacity-test
version: 1
description: one Kafka broker held to 200 KB/s
capacity:
  scale: { value: 0.01, status: assumed, note: the test's own }
  kafka:
    brokerSize: { value: test.broker, status: assumed, note: a size of the test's own }
    brokers: { value: 1, status: assumed, note: one broker }
    ingressBytesPerS: { value: 20000000, status: assumed, note: 20 MB/s a broker }
`,
);

const tool = () => ({
  libs: toolPaths(env.paths).kafkaLibs,
  bootstrap: `${HOST}:${env.ports.kafka}`,
});

beforeAll(async () => {
  env = await privateStackEnv();
  await stackUp(env.paths, env.ports, log, { only: ['kafka', 'toxiproxy'] });
  // The engine's backend, under the client id every engine instance shares.
  backend = backendFor(
    { backend: 'kafka', region: 'us-east-1', brokers: [`${HOST}:${env.ports.kafka}`] },
    { clientId: 'hunt-engine', requestTimeoutMs: 30_000, lagPollMs: 1_000, log },
  );
  await backend.ensureTopic('capacity', 2);
  producer = await backend.createProducer('capacity');
}, 120_000);

afterAll(async () => {
  await backend?.close().catch(() => {});
  if (env) {
    await stackDown(env.paths, log);
    rmSync(env.paths.state, { recursive: true, force: true });
  }
  rmSync(work, { recursive: true, force: true });
});

/** The profile's capacity as a run on this one-broker stack holds it. */
const heldCapacity = () =>
  kafkaDriver.local!.capacity!(loadFidelityProfile(profileFile).profile, {
    options: { kafka: SINGLE_BROKER },
    partitions: 2,
    quota: 1,
  });

/**
 * Offers 3 × C (batches of 30 records of 1 KB every 50 ms, at most 4 sends in flight) for
 * `warmUpS` + `seconds`, and answers the bytes/s the broker acknowledged after the warm-up.
 */
async function offer(seconds: number, warmUpS: number): Promise<number> {
  const value = Buffer.alloc(RECORD, 'x');
  const start = Date.now();
  const from = start + warmUpS * 1000;
  let acked = 0;
  let inFlight = 0;
  const sends: Promise<void>[] = [];
  while (Date.now() < from + seconds * 1000) {
    if (inFlight < 4) {
      inFlight++;
      const records = Array.from({ length: 30 }, (_, i) => ({
        key: `hunt-${i % 8}`,
        value,
        ts: Date.now(),
      }));
      sends.push(
        producer.send(records).then(
          (errs) => {
            inFlight--;
            if (Date.now() > from) acked += errs.filter((e) => !e).length * RECORD;
          },
          // A failed send acknowledged nothing: it only frees its slot.
          () => {
            inFlight--;
          },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const elapsed = (Date.now() - from) / 1000;
  await Promise.all(sends);
  return acked / elapsed;
}

describe('a stated Kafka capacity on the real broker', () => {
  it('holds a producer offering 3 × C to within 25% of C, and no quota is left after the run', async () => {
    const held = heldCapacity();
    expect(held?.record).toMatchObject({ bytesPerS: C, enforced: true });
    const quota = held!.quota as QuotaSetting;
    expect(quota.producerByteRate).toBe(C);

    const release = await holdRunQuota(env.paths, env.ports, 'kafka', quota, log);
    expect(await kafkaProducerByteRate(tool())).toBe(C);
    const rate = await offer(HELD_S, 0);
    console.log(`capacity ${C} B/s: acknowledged ${Math.round(rate)} B/s of ${3 * C} offered`);
    expect(Math.abs(rate - C) / C).toBeLessThan(0.25);
    await release();
    expect(await kafkaProducerByteRate(tool())).toBeUndefined();
    const journal = journalFile(env.paths.state);
    expect(existsSync(journal) ? readFileSync(journal, 'utf8') : '').not.toContain('"step":"run"');
  }, 90_000);

  it('is gone after a run killed while holding it: the next run undoes the journaled quota', async () => {
    const quota = heldCapacity()!.quota as QuotaSetting;
    // A process of its own holds it as a run does, and is killed before it can undo it.
    const script = join(work, 'hold.mts');
    writeFileSync(
      script,
      `import { holdRunQuota } from ${JSON.stringify(join(REPO_ROOT, 'system', 'leftovers.ts'))};
import { resolvePaths, resolvePorts } from ${JSON.stringify(join(REPO_ROOT, 'stack', 'config.ts'))};
await holdRunQuota(resolvePaths(), resolvePorts(), 'kafka', ${JSON.stringify(quota)}, () => {});
console.log('held');
setInterval(() => {}, 1000);
`,
    );
    const child = execa(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env },
      reject: false,
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
      void child.then((r) => reject(new Error(`holder exited: ${r.stderr}`)));
    });
    expect(await kafkaProducerByteRate(tool())).toBe(C);
    child.kill('SIGKILL');
    await child;
    // What the next run does first on a running stack.
    await clearLeftovers(env.paths, env.ports, log);
    expect(await kafkaProducerByteRate(tool())).toBeUndefined();
  }, 60_000);

  it('without the capacity the same producer is not held', async () => {
    expect(await kafkaProducerByteRate(tool())).toBeUndefined();
    const rate = await offer(FREE_S, 2);
    console.log(`no capacity: acknowledged ${Math.round(rate)} B/s of ${3 * C} offered`);
    expect(rate).toBeGreaterThan(1.5 * C);
  }, 60_000);
});
