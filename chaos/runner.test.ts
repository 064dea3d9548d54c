import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChaosRecord } from '../contract/schema.ts';
import { planTargets, runTargets } from '../system/chaos.ts';
import { JumpClock } from './clock.ts';
import type { ProcessControl, QuotaControl, QuotaSetting, ToxiproxyApi } from './faults/types.ts';
import { parsePlan } from './plan.ts';
import { ChaosRecorder } from './recorder.ts';
import { runPlan } from './runner.ts';

const T0 = 1_700_000_000_000;

/** Toxiproxy, processes and quotas as in-memory state, with a log of calls and their times. */
function fakes(clock: JumpClock, opts: { failAdd?: string } = {}) {
  const calls: string[] = [];
  const toxics = new Map<string, Set<string>>();
  const disabled = new Set<string>();
  const dead = new Set<string>();
  let kinesis: QuotaSetting = { mode: 'off', multiplier: 1 };
  const at = () => `${(clock.now() - T0) / 1000}s`;
  const toxiproxy: ToxiproxyApi = {
    async addToxic(proxy, t) {
      calls.push(`${at()} add ${proxy} ${t.name} ${JSON.stringify(t.attributes)}`);
      if (opts.failAdd === proxy) throw new Error(`proxy ${proxy} not found`);
      toxics.set(proxy, (toxics.get(proxy) ?? new Set()).add(t.name));
    },
    async removeToxic(proxy, name) {
      calls.push(`${at()} remove ${proxy} ${name}`);
      toxics.get(proxy)?.delete(name);
    },
    async setEnabled(proxy, enabled) {
      calls.push(`${at()} ${enabled ? 'enable' : 'disable'} ${proxy}`);
      if (enabled) disabled.delete(proxy);
      else disabled.add(proxy);
    },
    async reset() {
      calls.push(`${at()} reset`);
      toxics.clear();
      disabled.clear();
    },
    async proxies() {
      return [];
    },
  };
  const processes: ProcessControl = {
    async kill(name) {
      calls.push(`${at()} kill ${name}`);
      dead.add(name);
    },
    async restart(name) {
      calls.push(`${at()} restart ${name}`);
      dead.delete(name);
    },
  };
  const quotas: QuotaControl = {
    async set(provider, setting) {
      calls.push(`${at()} quota ${provider} ${setting.mode} x${setting.multiplier}`);
      const previous = kinesis;
      kinesis = setting;
      return previous;
    },
  };
  const leftovers = () =>
    [...toxics.values()].reduce((n, s) => n + s.size, 0) + disabled.size + dead.size;
  return { calls, toxiproxy, processes, quotas, leftovers, quota: () => kinesis };
}

const PLAN = `
description: one of each
duration: 60
steps:
  - { at: 10, for: 20, toxic: { proxy: broker, type: latency, attributes: { latency: 300 } } }
  - { at: 15, for: 5, disable: { proxy: downstream } }
  - { at: 20, for: 5, disable: { proxy: downstream } }
  - { at: 25, for: 10, kill: { process: broker } }
  - { at: 30, quota: { provider: kinesis, multiplier: 0.5 } }
`;

describe('runPlan', () => {
  it('applies and undoes each step on time and records it', async () => {
    const clock = new JumpClock(T0);
    const f = fakes(clock);
    const recorder = new ChaosRecorder();
    const result = await runPlan(parsePlan(PLAN, 'one.yaml', planTargets()), {
      run: runTargets('kafka'),
      toxiproxy: f.toxiproxy,
      processControl: f.processes,
      quotaControl: f.quotas,
      clock,
      startedAt: T0,
      recorder,
    });
    expect(f.calls).toEqual([
      '0s reset',
      '10s add kafka hunt-s0-latency {"latency":300,"jitter":0}',
      '15s disable downstream',
      '20s enable downstream', // back-to-back windows: undo first, then apply
      '20s disable downstream',
      '25s enable downstream',
      '25s kill kafka',
      '30s remove kafka hunt-s0-latency',
      '30s quota kinesis on x0.5',
      '35s restart kafka',
      '60s quota kinesis off x1', // open-ended: until the plan's end, then the previous setting
    ]);
    expect(result).toMatchObject({ complete: true, errors: 0 });
    expect(
      ChaosRecord.parse(result.record).events.map((e) => [
        e.kind,
        e.target,
        e.appliedAtS,
        e.removedAtS,
      ]),
    ).toEqual([
      ['latency', 'kafka', 10, 30],
      ['disable', 'downstream', 15, 20],
      ['disable', 'downstream', 20, 25],
      ['kill', 'kafka', 25, 35],
      ['quota', 'kinesis', 30, 60],
    ]);
    expect(result.record).toMatchObject({ plan: 'one', startedAt: new Date(T0).toISOString() });
    expect(f.leftovers()).toBe(0);
  });

  it('undoes everything in force when aborted mid-plan (SIGINT)', async () => {
    const controller = new AbortController();
    const clock = new JumpClock(T0, (until) => {
      if (until >= T0 + 28_000) controller.abort();
    });
    const f = fakes(clock);
    const result = await runPlan(parsePlan(PLAN, 'one.yaml', planTargets()), {
      run: runTargets('kinesis'),
      toxiproxy: f.toxiproxy,
      processControl: f.processes,
      quotaControl: f.quotas,
      clock,
      startedAt: T0,
      signal: controller.signal,
    });
    expect(result.complete).toBe(false);
    expect(f.leftovers()).toBe(0);
    expect(f.calls.slice(-2)).toEqual([
      '25s restart kinesalite',
      '25s remove kinesis hunt-s0-latency',
    ]);
    const events = result.record.events;
    expect(events.every((e) => (e.appliedAtS === null) === (e.removedAtS === null))).toBe(true);
    expect(events[4]!.appliedAtS).toBeNull();
  });

  it('records a failing step and carries on with the rest', async () => {
    const clock = new JumpClock(T0);
    const f = fakes(clock, { failAdd: 'kinesis' });
    const result = await runPlan(parsePlan(PLAN, 'one.yaml', planTargets()), {
      run: runTargets('kinesis'),
      toxiproxy: f.toxiproxy,
      processControl: f.processes,
      quotaControl: f.quotas,
      clock,
      startedAt: T0,
    });
    expect(result.errors).toBe(1);
    expect(result.record.events[0]).toMatchObject({
      appliedAtS: null,
      removedAtS: null,
      error: 'apply: proxy kinesis not found',
    });
    expect(result.record.events[3]).toMatchObject({
      target: 'kinesalite',
      appliedAtS: 25,
      removedAtS: 35,
    });
  });

  it('keeps open-ended steps until aborted when asked (hunt run)', async () => {
    const controller = new AbortController();
    const clock = new JumpClock(T0, (until) => {
      if (until === Number.POSITIVE_INFINITY) {
        clock.t = T0 + 95_000;
        controller.abort();
      }
    });
    const f = fakes(clock);
    const result = await runPlan(parsePlan(PLAN, 'one.yaml', planTargets()), {
      run: runTargets('kafka'),
      toxiproxy: f.toxiproxy,
      processControl: f.processes,
      quotaControl: f.quotas,
      clock,
      startedAt: T0,
      signal: controller.signal,
      holdUntilAborted: true,
    });
    expect(result.complete).toBe(true);
    expect(f.calls.at(-1)).toBe('95s quota kinesis off x1');
  });

  it('skips broker steps on the memory backend with an error, runs the rest', async () => {
    const clock = new JumpClock(T0);
    const f = fakes(clock);
    const result = await runPlan(parsePlan(PLAN, 'one.yaml', planTargets()), {
      run: runTargets('memory'),
      toxiproxy: f.toxiproxy,
      processControl: f.processes,
      quotaControl: f.quotas,
      clock,
      startedAt: T0,
    });
    expect(result.record.events[0]!.error).toMatch(
      /^resolve: 'broker' means nothing for backend memory/,
    );
    expect(result.record.events[1]).toMatchObject({ appliedAtS: 15, removedAtS: 20 });
    expect(ChaosRecord.safeParse(result.record).success).toBe(true);
  });

  it("undoes a crashed runner's kills and quota changes (from its journal) before starting", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-chaos-'));
    const journalFile = join(dir, 'chaos-journal.json');
    writeFileSync(
      journalFile,
      JSON.stringify([
        { step: 3, key: 'kill', target: 'kafka' },
        { step: 4, key: 'quota', target: 'kinesis', memo: { mode: 'on', multiplier: 2 } },
      ]),
    );
    const clock = new JumpClock(T0);
    const f = fakes(clock);
    await runPlan(parsePlan('description: x\nsteps: []\n', 'none.yaml', planTargets()), {
      run: runTargets('kafka'),
      toxiproxy: f.toxiproxy,
      processControl: f.processes,
      quotaControl: f.quotas,
      clock,
      startedAt: T0,
      journalFile,
    });
    // The quota goes back to what the crashed runner's step had replaced, not simply off;
    // newest first, so that stacked quota changes unwind to the oldest setting.
    expect(f.calls).toEqual(['0s reset', '0s quota kinesis on x2', '0s restart kafka']);
    expect(() => readFileSync(journalFile)).toThrow();
  });

  it('journals a kill and a quota change while in force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-chaos-'));
    const journalFile = join(dir, 'chaos-journal.json');
    const clock = new JumpClock(T0);
    const f = fakes(clock);
    let seen = '';
    const processes: ProcessControl = {
      kill: f.processes.kill,
      async restart(name) {
        seen = readFileSync(journalFile, 'utf8');
        await f.processes.restart(name);
      },
    };
    await runPlan(
      parsePlan(
        'description: x\nsteps:\n  - { at: 0, for: 5, quota: { provider: kinesis, multiplier: 3 } }\n  - { at: 1, for: 1, kill: { process: kafka } }\n',
        'k.yaml',
        planTargets(),
      ),
      {
        run: runTargets('kafka'),
        toxiproxy: f.toxiproxy,
        processControl: processes,
        quotaControl: f.quotas,
        clock,
        startedAt: T0,
        journalFile,
      },
    );
    expect(JSON.parse(seen)).toMatchObject([
      { step: 0, key: 'quota', target: 'kinesis', memo: { mode: 'off', multiplier: 1 } },
      { step: 1, key: 'kill', target: 'kafka', owner: expect.stringMatching(/^\d+@\d+$/) },
    ]);
    expect(() => readFileSync(journalFile)).toThrow();
  });
});
