/**
 * broker-kill against a running engine: the chaos runner SIGKILLs Kafka through its pid
 * file and restarts it identically; the engine sheds while the broker is gone, then accepts
 * again, and everything it accepted is delivered.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parsePlan } from '../../chaos/plan.ts';
import { runPlan } from '../../chaos/runner.ts';
import { planTargets, runTargets, stackProcessControl, toxiproxyUrl } from '../../system/chaos.ts';
import {
  type EngineHarness,
  eventually,
  expectDrained,
  idsIn,
  startEngineHarness,
} from './engine-harness.ts';

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness('kafka');
});

afterAll(async () => {
  if (h && process.env.HUNT_TEST_LOGS) console.log(h.logs.join('\n'));
  await h?.stop();
});

test('broker-kill: the engine sheds while Kafka is gone and recovers after its restart', async () => {
  const accepted = new Set<string>();
  const statuses: { t: number; status: number }[] = [];
  let i = 0;
  const write = async () => {
    const r = await h.post('/hunts/h1/players', { playerId: `p${i++}`, displayName: 'Killjoy' });
    statuses.push({ t: Date.now(), status: r.status });
    if (r.status === 202) accepted.add(r.body.id!);
    return r.status;
  };
  let writing = true;
  const load = (async () => {
    while (writing) {
      await Promise.all([write(), write()]);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const plan = parsePlan(
    'description: x\nsteps:\n  - { at: 2, for: 8, kill: { process: broker } }\n',
    'kill.yaml',
    planTargets(),
  );
  const { record, errors } = await runPlan(plan, {
    run: runTargets('kafka'),
    toxiproxyUrl: toxiproxyUrl(h.stack.ports),
    processControl: stackProcessControl(h.stack.paths, h.stack.ports),
  });
  const restarted = Date.now();
  expect(errors).toBe(0);
  expect(record.events[0]).toMatchObject({ kind: 'kill', target: 'kafka', error: null });

  const recoveryMs = await eventually(
    'a write accepted after the restart',
    async () => (await write()) === 202,
    60_000,
  );
  writing = false;
  await load;
  const start = statuses[0]!.t;
  const killedAt = start + record.events[0]!.appliedAtS! * 1000;
  const during = statuses.filter((s) => s.t > killedAt + 2_000 && s.t < restarted);
  console.log(
    `broker-kill: ${accepted.size} accepted; during the outage ${during.filter((s) => s.status !== 202).length}/${during.length} refused; recovered ${recoveryMs} ms after the restart`,
  );
  expect(during.length).toBeGreaterThan(0);
  expect(during.some((s) => s.status === 503 || s.status === 504)).toBe(true);
  expect(statuses.at(-1)!.status).toBe(202);
  // The consumer needs its group back after the broker's restart: allow it a minute.
  const m = h.engine.model;
  const drainMs = await eventually(
    'every accepted id applied or dead-lettered',
    () => [...accepted].every((id) => m.has(id) || m.wasDeadLettered(id)),
    60_000,
  ).catch(async (err) => {
    const missing = [...accepted].filter((id) => !m.has(id) && !m.wasDeadLettered(id));
    const inTopic = await idsIn(h.reader, h.config.topic);
    const found = missing.filter((id) => inTopic.has(id)).length;
    throw new Error(`${err.message}: ${missing.length} missing, ${found} of them in the topic`);
  });
  console.log(`broker-kill: drained ${drainMs} ms after recovery`);
  await expectDrained(h, accepted);
});
