import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../chaos/plan.ts';
import { loadFidelityProfile } from '../../run/fidelity.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { planTargets } from '../../system/chaos.ts';
import { assertStackFits, stackOptionsForRun } from '../../system/stack.ts';

/** Where a run that brings its own stack keeps kinesalite's streams. */
const kinesisStoreFor = (p: ReturnType<typeof plan>, backend: string) =>
  (
    stackOptionsForRun({
      profile: loadFidelityProfile('loopback').profile,
      plan: p,
      backends: [backend],
      env: {},
    }).kinesis as { store: string }
  ).store;

const plan = (name: string) =>
  loadPlan(join(REPO_ROOT, 'chaos', 'plans', `${name}.yaml`), planTargets());

describe('kinesis store', () => {
  it('asks for streams on disk only when a Kinesis run kills kinesalite', () => {
    expect(kinesisStoreFor(plan('broker-kill'), 'kinesis')).toBe('disk');
    expect(kinesisStoreFor(plan('broker-kill'), 'kafka')).toBe('memory');
    expect(kinesisStoreFor(plan('cascade'), 'kinesis')).toBe('memory');
  });

  it('refuses a kinesalite kill against a running in-memory stack, and allows it on disk', () => {
    const state = mkdtempSync(join(tmpdir(), 'hunt-store-'));
    const paths = { cache: state, state };
    const info = (kinesisStore: string) =>
      writeFileSync(
        join(state, 'stack.json'),
        JSON.stringify({ ports: {}, options: { kinesis: { store: kinesisStore } }, state }),
      );
    expect(() => assertStackFits(plan('broker-kill'), ['kafka', 'kinesis'], paths)).not.toThrow();
    info('memory');
    expect(() => assertStackFits(plan('broker-kill'), ['kafka', 'kinesis'], paths)).toThrow(
      /--kinesis-store disk/,
    );
    expect(() => assertStackFits(plan('broker-kill'), ['kafka'], paths)).not.toThrow();
    info('disk');
    expect(() => assertStackFits(plan('broker-kill'), ['kinesis'], paths)).not.toThrow();
  });
});
