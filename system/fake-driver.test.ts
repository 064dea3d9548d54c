/**
 * A broker the harness has never heard of: testkit/fake-driver/ (one folder) registered with
 * one line. Every driver-facing path of the harness runs through it: the engine's settings
 * and backend, the audit's reader, the stack's components, proxies and options, chaos names,
 * quotas and target resolution, the run's record and a target file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanError, parsePlan, resolveStep } from '../chaos/plan.ts';
import { backendOption } from '../cli/options.ts';
import { UserError } from '../common/user-error.ts';
import { driverNames, driverOf, localDrivers, registerDriver } from '../drivers/registry.ts';
import { fixtureCatalogue } from '../engine/catalogue.ts';
import { defaultConfig } from '../engine/config.ts';
import { startEngine } from '../engine/engine.ts';
import { silentLog } from '../engine/log.ts';
import { describeTarget } from '../reports/target-line.ts';
import { readStreamCopy, stackConnection } from '../run/audit/read.ts';
import { loadFidelityProfile, runFidelity } from '../run/fidelity.ts';
import { loadTarget } from '../run/target.ts';
import { DEFAULT_PORTS } from '../stack/config.ts';
import { fakeDriver, logAt, quotaCalls } from '../testkit/fake-driver/driver.ts';
import { planTargets, runTargets, stackQuotaControl } from './chaos.ts';
import { createBackend, resolveConfig, startFailure } from './engine.ts';
import { components, stackOptionsForRun, stackOptionsFromFlags, stackProxies } from './stack.ts';

let unregister: () => void;
beforeAll(() => {
  unregister = registerDriver(fakeDriver);
});
afterAll(() => unregister());

const defaults = defaultConfig({
  engine: 0,
  kafka: '127.0.0.1:1',
  kinesis: 'http://127.0.0.1:1',
  fulfillment: 'http://127.0.0.1:1',
});
const work = mkdtempSync(join(tmpdir(), 'hunt-fake-driver-'));
const paths = { cache: work, state: work };

describe('a fake driver, registered with one line', () => {
  it('is a backend like the others: named, local, accepted by a run', () => {
    expect(driverNames()).toContain('fake');
    expect(localDrivers().map((d) => d.name)).toContain('fake');
    expect(backendOption('fake', 'local')).toBe('fake');
  });

  it('checks the engine settings as its driver says', () => {
    expect(resolveConfig({ defaults, flags: { backend: 'fake' } }).backend).toBe('fake');
    expect(() =>
      resolveConfig({ defaults, flags: { backend: 'fake', brokers: 'far.example.com:9' } }),
    ).toThrow(/refusing non-loopback targets \(brokers=far\.example\.com\)/);
    expect(() =>
      resolveConfig({ defaults, flags: { backend: 'fake', brokers: '127.0.0.1:1,127.0.0.1:2' } }),
    ).toThrow(/brokers: the fake serves one address/);
    expect(() => resolveConfig({ defaults, flags: { backend: 'nope' } })).toThrow(
      /backend \(flag\): no driver 'nope'; one of kafka, kinesis, memory, fake/,
    );
    const config = resolveConfig({ defaults, flags: { backend: 'fake' } });
    expect((startFailure(config, new Error('fake down')) as Error).message).toBe(
      'the fake broker is down',
    );
  });

  it('carries the engine, and the audit reads back through it what the engine accepted', async () => {
    const address = `127.0.0.1:${DEFAULT_PORTS.kafka + 50}`;
    const config = resolveConfig({
      defaults,
      flags: { backend: 'fake', brokers: address, topic: 'fake-run' },
    });
    const engine = await startEngine({
      config,
      catalogue: fixtureCatalogue(),
      backend: createBackend(config, paths, silentLog, 'fake-engine'),
      registry: new Registry(),
      log: silentLog,
      fulfill: async () => {},
      alertSink: () => {},
    });
    try {
      for (let i = 0; i < 5; i++) {
        const r = await engine.app.inject({
          method: 'POST',
          url: '/hunts/h1/players',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ playerId: `p:${i}`, displayName: `player ${i}` }),
        });
        expect(r.statusCode).toBe(202);
      }
      const end = Date.now() + 5_000;
      while (engine.status().counts.delivered < 5 && Date.now() < end)
        await new Promise((r) => setTimeout(r, 10));
      expect(engine.status().counts.delivered).toBe(5);
    } finally {
      await engine.stop();
    }
    expect(logAt(address).topic('fake-run').partitions.flat()).toHaveLength(5);
    // The audit's reader: a client of its own, straight to the stand-in's direct address.
    const copy = await readStreamCopy(
      stackConnection(driverOf('fake'), DEFAULT_PORTS),
      'fake-run',
      'fake-run-dlq',
    );
    expect(copy.stream).toHaveLength(5);
    expect(new Set(copy.stream).size).toBe(5);
  });

  it('puts its stand-in on the stack: a component, a proxy, options from flags, profile and plan', () => {
    expect(components().map((c) => c.name)).toContain('fake-broker');
    expect(components().at(-1)?.name).toBe('toxiproxy');
    expect(stackProxies(DEFAULT_PORTS).find((p) => p.name === 'fake')).toMatchObject({
      listen: `127.0.0.1:${DEFAULT_PORTS.kafkaProxy + 50}`,
      upstream: `127.0.0.1:${DEFAULT_PORTS.kafka + 50}`,
    });
    expect(stackOptionsFromFlags({ fakeShape: 'round' }, {}).fake).toEqual({ shape: 'round' });
    expect(() => stackOptionsFromFlags({ fakeShape: 'bad' }, {})).toThrow(UserError);
    const plan = parsePlan('description: x\nsteps: []\n', 'calm.yaml', planTargets());
    const profile = loadFidelityProfile('loopback').profile;
    expect(stackOptionsForRun({ profile, plan, backends: ['fake'], env: {} }).fake).toEqual({
      shape: 'for calm',
    });
  });

  it('gives a plan its names: broker resolves to its proxy, process and quotas', async () => {
    const plan = parsePlan(
      `description: x
steps:
  - { at: 0, for: 1, disable: { proxy: broker } }
  - { at: 1, for: 1, kill: { process: fake-broker } }
  - { at: 2, for: 1, quota: { provider: broker, multiplier: 0.5 } }
`,
      'fake.yaml',
      planTargets(),
    );
    const targets = plan.steps.map((s) => resolveStep(plan, s, runTargets('fake')).target);
    expect(targets).toEqual(['fake', 'fake-broker', 'fake']);
    expect(() =>
      parsePlan(
        'description: x\nsteps:\n  - { at: 0, quota: { provider: fake, mode: lie } }\n',
        'lie.yaml',
        planTargets(),
      ),
    ).toThrow(PlanError);
    const previous = await stackQuotaControl(paths, DEFAULT_PORTS).set('fake', {
      mode: 'on',
      multiplier: 0.5,
    });
    expect(previous).toEqual({ mode: 'off', multiplier: 1 });
    expect(quotaCalls.at(-1)).toEqual({ mode: 'on', multiplier: 0.5 });
  });

  it("records what the run's stand-in was, and what a real one was", async () => {
    const loaded = loadFidelityProfile('loopback');
    const local = runFidelity(loaded, driverOf('fake'), {
      options: { fake: { shape: 'round' } },
      partitions: 4,
      quota: null,
    });
    expect(local.dimensions.readPropagation).toMatchObject({ level: 'real' });
    expect(
      driverOf('fake').local?.emulation({
        options: { fake: { shape: 'round' } },
        partitions: 4,
        quota: null,
      }),
    ).toEqual({ fake: 'an in-memory log, 4 partitions, shape round' });

    const file = join(work, 'target.yaml');
    writeFileSync(file, 'backend: fake\nbrokers: [127.0.0.1:5]\ntopic: orders\n');
    const target = await loadTarget(file, {
      allowRemote: false,
      runTopic: () => 'unused',
      env: {},
    });
    expect(target.record).toMatchObject({ backend: 'fake', brokers: ['127.0.0.1:5'] });
    expect(describeTarget(target.record)).toBe('real fake: 127.0.0.1:5, log orders');
    const real = runFidelity(loaded, driverOf('fake'), { target: target.record });
    expect(real.dimensions.network?.note).toMatch(/real fake at 127\.0\.0\.1:5/);
    writeFileSync(file, 'backend: fake\ntopic: orders\n');
    await expect(
      loadTarget(file, { allowRemote: false, runTopic: () => 'x', env: {} }),
    ).rejects.toThrow(/brokers: required for fake/);
  });
});
