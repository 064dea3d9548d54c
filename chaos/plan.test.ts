import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planTargets, runTargets } from '../system/chaos.ts';
import { parseDuration } from './duration.ts';
import { loadPlan, PlanError, parsePlan, resolveStep } from './plan.ts';

const PLANS = join(import.meta.dirname, 'plans');

function planError(yaml: string): string {
  try {
    parsePlan(yaml, 'bad.yaml', planTargets());
  } catch (err) {
    expect(err).toBeInstanceOf(PlanError);
    return (err as Error).message;
  }
  throw new Error('expected a PlanError');
}

const step = (body: string) => `description: test\nsteps:\n  - at: 10\n    for: 5\n${body}`;

describe('plan files', () => {
  it.each(readdirSync(PLANS).filter((f) => f.endsWith('.yaml')))(
    'ships %s valid for both backends',
    (f) => {
      const plan = loadPlan(join(PLANS, f), planTargets());
      expect(plan.name).toBe(f.replace('.yaml', ''));
      for (const backend of ['kafka', 'kinesis'] as const) {
        for (const s of plan.steps)
          expect(resolveStep(plan, s, runTargets(backend)).label).not.toBe('');
      }
    },
  );

  it('ships the library the issue names', () => {
    const names = readdirSync(PLANS).map((f) => f.replace('.yaml', ''));
    for (const n of [
      'none',
      'broker-latency',
      'broker-blackhole',
      'broker-reset',
      'broker-bandwidth',
      'broker-flap',
      'broker-kill',
      'downstream-slow',
      'downstream-down',
      'kinesis-quota',
      'lying-broker',
      'cascade',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('parses a toxic step with defaults, and resolves broker by backend', () => {
    const plan = parsePlan(
      step('    toxic: { proxy: broker, type: latency, attributes: { latency: 300 } }\n'),
      'p.yaml',
      planTargets(),
    );
    expect(plan.duration).toBe(15);
    expect(plan.steps[0]).toMatchObject({
      at: 10,
      for: 5,
      key: 'toxic',
      spec: {
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 300, jitter: 0 },
      },
    });
    expect(resolveStep(plan, plan.steps[0]!, runTargets('kafka')).target).toBe('kafka');
    expect(resolveStep(plan, plan.steps[0]!, runTargets('kinesis')).target).toBe('kinesis');
    expect(() => resolveStep(plan, plan.steps[0]!, runTargets('memory'))).toThrow(/no broker/);
  });

  it('reads durations as seconds or strings', () => {
    expect(parseDuration('1m30s')).toBe(90);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration(12)).toBe(12);
    expect(parseDuration('12')).toBe(12);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
  });
});

describe('invalid plans: each names the file, line, step and field', () => {
  it.each([
    ['YAML syntax', 'description: x\nsteps: [\n', /^bad\.yaml:\d+: /],
    [
      'unknown top-level key',
      'description: x\nsteps: []\nrepeat: 2\n',
      /bad\.yaml:3: repeat: unknown key 'repeat'/,
    ],
    ['missing description', 'steps: []\n', /bad\.yaml:\d+: description: /],
    [
      'unknown step key',
      step(
        '    toxic: { proxy: kafka, type: timeout, attributes: { timeout: 0 } }\n    every: 3\n',
      ),
      /bad\.yaml:6: steps\[0\]\.every: unknown key 'every'/,
    ],
    [
      'no fault',
      step('    note: nothing\n'),
      /steps\[0\]: needs one fault: one of toxic, disable, kill, quota, downstream/,
    ],
    [
      'two faults',
      step('    disable: { proxy: kafka }\n    kill: { process: kafka }\n'),
      /steps\[0\]: has disable and kill: one fault per step/,
    ],
    [
      'unknown proxy',
      step('    disable: { proxy: redis }\n'),
      /bad\.yaml:5: steps\[0\].disable\.proxy: Invalid option/,
    ],
    [
      'unknown toxic type',
      step('    toxic: { proxy: kafka, type: jitter }\n'),
      /steps\[0\]\.toxic\.type: Invalid option/,
    ],
    [
      'unknown attribute',
      step('    toxic: { proxy: kafka, type: latency, attributes: { latncy: 5 } }\n'),
      /steps\[0\]\.toxic\.attributes\.latency: .*expected number.*\n.*steps\[0\]\.toxic\.attributes\.latncy: unknown key 'latncy'/,
    ],
    [
      'attribute of the wrong type',
      step("    toxic: { proxy: kafka, type: bandwidth, attributes: { rate: '64KB' } }\n"),
      /steps\[0\]\.toxic\.attributes\.rate: .*expected number/,
    ],
    [
      'negative latency',
      step('    toxic: { proxy: kafka, type: latency, attributes: { latency: -5 } }\n'),
      /steps\[0\]\.toxic\.attributes\.latency: Too small/,
    ],
    [
      'toxicity above 1',
      step('    toxic: { proxy: kafka, type: latency, toxicity: 2, attributes: { latency: 5 } }\n'),
      /steps\[0\]\.toxic\.toxicity: Too big/,
    ],
    [
      'bad stream',
      step(
        '    toxic: { proxy: kafka, type: latency, stream: both, attributes: { latency: 5 } }\n',
      ),
      /steps\[0\]\.toxic\.stream: Invalid option/,
    ],
    [
      'slicer variation',
      step(
        '    toxic: { proxy: kafka, type: slicer, attributes: { average_size: 10, size_variation: 10 } }\n',
      ),
      /steps\[0\]\.toxic\.attributes\.size_variation: must be smaller than average_size/,
    ],
    [
      'bad duration',
      'description: x\nsteps:\n  - at: soon\n    disable: { proxy: kafka }\n',
      /bad\.yaml:3: steps\[0\]\.at: expected seconds .* got "soon"/,
    ],
    [
      'unknown process',
      step('    kill: { process: zookeeper }\n'),
      /steps\[0\]\.kill\.process: Invalid option/,
    ],
    [
      'empty capacity change',
      step('    downstream: {}\n'),
      /bad\.yaml:5: steps\[0\]\.downstream: needs at least one setting/,
    ],
    [
      'unknown capacity setting',
      step('    downstream: { speed: 3 }\n'),
      /steps\[0\]\.downstream\.speed: unknown key 'speed'/,
    ],
    [
      'zero concurrency',
      step('    downstream: { concurrency: 0 }\n'),
      /steps\[0\]\.downstream\.concurrency: Too small/,
    ],
    [
      'error shares above 1',
      step('    downstream: { errorRate5xx: 0.7, errorRate4xx: 0.5 }\n'),
      /steps\[0\]\.downstream\.errorRate4xx: errorRate5xx \+ errorRate4xx must not exceed 1/,
    ],
    [
      'bad multiplier',
      step('    quota: { provider: kinesis, multiplier: 0 }\n'),
      /steps\[0\]\.quota\.multiplier: Too small/,
    ],
    [
      'Kafka rate on Kinesis',
      step('    quota: { provider: kinesis, producerByteRate: 1000 }\n'),
      /steps\[0\]\.quota\.producerByteRate: is a Kafka quota/,
    ],
    [
      'a lying Kafka',
      step('    quota: { provider: kafka, mode: lie }\n'),
      /steps\[0\]\.quota\.mode: lie is a mode of the Kinesis quota layer/,
    ],
    [
      'a share without lie',
      step('    quota: { provider: kinesis, share: 0.5 }\n'),
      /steps\[0\]\.quota\.share: goes with mode lie/,
    ],
    [
      'a share above 1',
      step('    quota: { provider: kinesis, mode: lie, share: 2 }\n'),
      /steps\[0\]\.quota\.share: Too big/,
    ],
    [
      'step past the duration',
      'description: x\nduration: 10\nsteps:\n  - { at: 5, for: 10, disable: { proxy: kafka } }\n',
      /bad\.yaml:4: steps\[0\]: ends at 15s, after the plan's duration 10s/,
    ],
    [
      'overlapping outages',
      'description: x\nsteps:\n  - { at: 0, for: 10, disable: { proxy: broker } }\n  - { at: 5, for: 10, disable: { proxy: kafka } }\n',
      /bad\.yaml:4: steps\[1\]: disable on kafka overlaps steps\[0\] \(0s-10s\)/,
    ],
    [
      'overlapping kills',
      'description: x\nsteps:\n  - { at: 0, kill: { process: kinesalite } }\n  - { at: 5, for: 1, kill: { process: broker } }\n',
      /steps\[1\]: kill on kinesalite overlaps steps\[0\]/,
    ],
  ])('%s', (_name, yaml, expected) => {
    expect(planError(yaml)).toMatch(expected);
  });

  it('allows back-to-back windows on one target (a flap)', () => {
    const plan = parsePlan(
      'description: x\nsteps:\n  - { at: 0, for: 5, disable: { proxy: kafka } }\n  - { at: 5, for: 5, disable: { proxy: kafka } }\n',
      'ok.yaml',
      planTargets(),
    );
    expect(plan.steps).toHaveLength(2);
  });
});
