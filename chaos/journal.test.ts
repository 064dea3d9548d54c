import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOOPBACK_MODEL } from '../contract/service-model.ts';
import type { FaultContext, QuotaSetting } from './faults/types.ts';
import { Journal, type JournalEntry, processId } from './journal.ts';

function fixture() {
  const file = join(mkdtempSync(join(tmpdir(), 'hunt-journal-')), 'chaos-journal.json');
  const calls: string[] = [];
  const ctx = (e: JournalEntry): FaultContext => ({
    step: -1,
    target: e.target,
    toxiproxy: undefined as never,
    quotas: {
      async set(provider, s: QuotaSetting) {
        calls.push(`${provider} ${s.mode} x${s.multiplier}`);
        return s;
      },
    },
  });
  return { file, calls, ctx };
}

describe('chaos journal, shared by a run and its runner', () => {
  it("keeps a live process's entries, undoes a dead one's newest first", async () => {
    const { file, calls, ctx } = fixture();
    const live = spawn('sleep', ['30']);
    try {
      const liveId = processId(live.pid!)!;
      writeFileSync(
        file,
        JSON.stringify([
          {
            step: 'run',
            key: 'quota',
            target: 'kinesis',
            memo: { mode: 'off', multiplier: 1 },
            owner: '999999999@1',
          },
          {
            step: 2,
            key: 'quota',
            target: 'kinesis',
            memo: { mode: 'on', multiplier: 1 },
            owner: '999999999@1',
          },
          {
            step: 0,
            key: 'quota',
            target: 'kafka',
            memo: { mode: 'off', multiplier: 1 },
            owner: liveId,
          },
        ]),
      );
      await new Journal(file).recover(ctx, () => {});
      // The lying step's memo (the run's quota) first, then the run's own memo: quotas off.
      expect(calls).toEqual(['kinesis on x1', 'kinesis off x1']);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([
        expect.objectContaining({ target: 'kafka', owner: liveId }),
      ]);
    } finally {
      live.kill();
    }
  });

  it("restores a dead run's service model with its quota", async () => {
    const { file, ctx } = fixture();
    const set: QuotaSetting[] = [];
    const model = { ...LOOPBACK_MODEL, latency: { PutRecords: { p50: 20, p99: 100 } } };
    writeFileSync(
      file,
      JSON.stringify([
        {
          step: 'run',
          key: 'quota',
          target: 'kinesis',
          memo: { mode: 'off', multiplier: 1, model },
          owner: '999999999@1',
        },
      ]),
    );
    await new Journal(file).recover(
      (e) => ({
        ...ctx(e),
        quotas: {
          async set(_p, s) {
            set.push(s);
            return s;
          },
        },
      }),
      () => {},
    );
    expect(set).toEqual([{ mode: 'off', multiplier: 1, model }]);
  });

  it("never undoes this process's own entries (a run's quota under its own runner)", async () => {
    const { file, calls, ctx } = fixture();
    const run = new Journal(file);
    run.add('run', 'quota', 'kinesis', { mode: 'off', multiplier: 1 });
    const runner = new Journal(file);
    await runner.recover(ctx, () => {});
    runner.add(1, 'quota', 'kinesis', { mode: 'on', multiplier: 1 });
    expect(calls).toEqual([]);
    expect((JSON.parse(readFileSync(file, 'utf8')) as JournalEntry[]).map((e) => e.step)).toEqual([
      'run',
      1,
    ]);
    runner.remove(1);
    run.remove('run');
    expect(() => readFileSync(file)).toThrow();
  });

  it('tells a recycled pid from the process that wrote the entry', () => {
    const me = processId(process.pid)!;
    expect(me).toMatch(new RegExp(`^${process.pid}@\\d+$`));
    expect(processId(999_999_999)).toBeUndefined();
  });
});
