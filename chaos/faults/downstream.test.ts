import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapacityModel, DEFAULT_CAPACITY } from '../../engine/fulfillment/capacity.ts';
import { buildFulfillment } from '../../engine/fulfillment/server.ts';
import { planTargets, runTargets } from '../../system/chaos.ts';
import { JumpClock } from '../clock.ts';
import { downstreamControl } from '../downstream-control.ts';
import { parsePlan, resolveStep } from '../plan.ts';
import { runPlan } from '../runner.ts';
import type { DownstreamControl, ToxiproxyApi } from './types.ts';

const T0 = 1_700_000_000_000;
const toxiproxy: ToxiproxyApi = {
  addToxic: async () => {},
  removeToxic: async () => {},
  setEnabled: async () => {},
  reset: async () => {},
  proxies: async () => [],
};

/** The capacity model itself behind the control, with a log of what was set when. */
function fake(clock: JumpClock) {
  const model = new CapacityModel();
  const calls: string[] = [];
  const control: DownstreamControl = {
    async set(patch) {
      calls.push(`${(clock.now() - T0) / 1000}s ${JSON.stringify(patch)}`);
      return model.set(patch);
    },
  };
  return { model, calls, control };
}

const PLAN = `
description: saturate, then fail a quarter
duration: 60
steps:
  - { at: 10, for: 20, downstream: { serviceTimeMs: 200, concurrency: 2 } }
  - { at: 30, for: 10, downstream: { errorRate5xx: 0.25 } }
`;

describe('downstream step', () => {
  it('is described by what it changes and targets the fulfillment service', () => {
    const plan = parsePlan(PLAN, 'd.yaml', planTargets());
    expect(resolveStep(plan, plan.steps[0]!, runTargets('kinesis'))).toMatchObject({
      target: 'fulfillment',
      label: 'fulfillment capacity: 200 ms/request, 2 at once',
    });
    expect(resolveStep(plan, plan.steps[1]!, runTargets('kafka')).label).toBe(
      'fulfillment capacity: 25% 500',
    );
  });

  it('changes the capacity for its window and restores the previous one, journaled while in force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-downstream-'));
    const journalFile = join(dir, 'journal.json');
    const clock = new JumpClock(T0);
    const f = fake(clock);
    const seen: Record<string, unknown>[] = [];
    // The journal is written once a step applied: at the next set, the open step is in it.
    const journalNow = () => (existsSync(journalFile) ? readFileSync(journalFile, 'utf8') : '[]');
    const control: DownstreamControl = {
      async set(patch) {
        const out = await f.control.set(patch);
        seen.push({ capacity: f.model.capacity, journal: journalNow() });
        return out;
      },
    };
    const result = await runPlan(parsePlan(PLAN, 'd.yaml', planTargets()), {
      run: runTargets('kafka'),
      toxiproxy,
      downstreamControl: control,
      clock,
      startedAt: T0,
      journalFile,
    });
    expect(result).toMatchObject({ complete: true, errors: 0 });
    expect(f.calls.map((c) => c.split(' ')[0])).toEqual(['10s', '30s', '30s', '40s']);
    expect(seen[0]).toMatchObject({
      capacity: { ...DEFAULT_CAPACITY, serviceTimeMs: 200, concurrency: 2 },
    });
    // Back to back: the first window's capacity is restored before the second applies.
    expect(seen[1]).toMatchObject({ capacity: DEFAULT_CAPACITY });
    expect(seen[2]).toMatchObject({ capacity: { ...DEFAULT_CAPACITY, errorRate5xx: 0.25 } });
    expect(f.model.capacity).toEqual(DEFAULT_CAPACITY);
    // While the first window was open (seen at its undo), the journal held it and what it replaced.
    expect(JSON.parse(String(seen[1]!.journal))).toMatchObject([
      { step: 0, key: 'downstream', target: 'fulfillment', memo: DEFAULT_CAPACITY },
    ]);
    expect(() => readFileSync(journalFile)).toThrow();
    expect(result.record.events.map((e) => [e.kind, e.target, e.appliedAtS, e.removedAtS])).toEqual(
      [
        ['capacity', 'fulfillment', 10, 30],
        ['capacity', 'fulfillment', 30, 40],
      ],
    );
  });

  it("undoes a crashed runner's capacity change from its journal", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-downstream-'));
    const journalFile = join(dir, 'journal.json');
    const before = { ...DEFAULT_CAPACITY, concurrency: 8 };
    writeFileSync(
      journalFile,
      JSON.stringify([{ step: 0, key: 'downstream', target: 'fulfillment', memo: before }]),
    );
    const clock = new JumpClock(T0);
    const f = fake(clock);
    f.model.set({ concurrency: 1, serviceTimeMs: 500 });
    await runPlan(parsePlan('description: x\nsteps: []\n', 'none.yaml', planTargets()), {
      run: runTargets('kafka'),
      toxiproxy,
      downstreamControl: f.control,
      clock,
      startedAt: T0,
      journalFile,
    });
    expect(f.model.capacity).toEqual(before);
    expect(() => readFileSync(journalFile)).toThrow();
  });

  it('reaches a real fulfillment service over HTTP; a refused change is an error', async () => {
    const app = buildFulfillment();
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const control = downstreamControl(url);
      expect(await control.set({ concurrency: 3 })).toEqual(DEFAULT_CAPACITY);
      expect(await control.set({ concurrency: 4 })).toMatchObject({ concurrency: 3 });
      await expect(control.set({ concurrency: -1 })).rejects.toThrow(/400 .*concurrency/);
    } finally {
      await app.close();
    }
  });
});
