import { expect, test } from 'vitest';
import { planTargets, runTargets } from '../system/chaos.ts';
import { loadPlan, parsePlan } from './plan.ts';
import { assertRemotePlan, remoteRefusal } from './remote.ts';
import { planFile } from './shipped-plans.ts';

const plan = parsePlan(
  `description: mixed
steps:
  - { at: 1, for: 1, kill: { process: engine } }
  - { at: 1, for: 1, kill: { process: fulfillment } }
  - { at: 1, for: 1, disable: { proxy: downstream } }
  - { at: 3, for: 1, downstream: { errorRate5xx: 0.5 } }
  - { at: 1, for: 1, kill: { process: broker } }
  - { at: 1, for: 1, toxic: { proxy: broker, type: latency, attributes: { latency: 100 } } }
  - { at: 1, for: 1, quota: { provider: kinesis } }
  - { at: 2, for: 1, disable: { proxy: kafka } }
`,
  'mixed.yaml',
  planTargets(),
);

test('faults on what the harness owns run; broker processes, proxies and quotas are refused', () => {
  const refused = (b: 'kafka' | 'kinesis') =>
    plan.steps.map((s) => remoteRefusal(plan, s.index, runTargets(b)) !== null);
  expect(refused('kafka')).toEqual([false, false, false, false, true, true, true, true]);
  expect(remoteRefusal(plan, 4, runTargets('kinesis'))).toMatch(
    /^plan mixed steps\[4\] \(kill kinesalite\): cannot kill kinesalite/,
  );
  expect(remoteRefusal(plan, 5, runTargets('kafka'))).toMatch(/not through the kafka proxy/);
  expect(() => assertRemotePlan(plan, runTargets('kafka'))).toThrow(
    /^--target: plan mixed steps\[4\]/,
  );
});

test('shipped plans: the downstream ones run against a remote target, the broker ones do not', () => {
  const ok = (name: string) => {
    try {
      assertRemotePlan(loadPlan(planFile(name), planTargets()), runTargets('kinesis'));
      return true;
    } catch {
      return false;
    }
  };
  expect(['none', 'downstream-slow', 'downstream-down', 'flash-sale-incident'].map(ok)).toEqual([
    true,
    true,
    true,
    true,
  ]);
  expect(['broker-kill', 'broker-latency', 'kinesis-quota', 'cascade'].map(ok)).toEqual([
    false,
    false,
    false,
    false,
  ]);
});
