import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQuotaMode } from '../drivers/kinesis/quota/limits.ts';
import { REPO_ROOT } from '../stack/tools.ts';
import { planTargets, runTargets } from '../system/chaos.ts';
import { loadPlan, parsePlan } from './plan.ts';
import { formatTimeline } from './timeline.ts';

describe('dry-run timeline', () => {
  it('draws each step to scale, in time order, with its resolved target', () => {
    const out = formatTimeline(
      loadPlan(join(REPO_ROOT, 'chaos/plans/cascade.yaml'), planTargets()),
      runTargets('kinesis'),
    );
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^plan cascade \(.*cascade\.yaml\) on kinesis, 3m$/);
    expect(out).toContain('latency 100±30ms on kinesis replies');
    expect(out).toContain('downstream proxy down — fulfillment falls over');
    const steps = lines.filter((l) => l.includes('█'));
    expect(steps).toHaveLength(5);
    expect(steps.map((l) => l.indexOf('█'))).toEqual(
      [...steps.map((l) => l.indexOf('█'))].sort((a, b) => a - b),
    );
  });

  it('marks open-ended steps and a baseline', () => {
    const open = parsePlan(
      'description: x\nduration: 60\nsteps:\n  - { at: 30, kill: { process: broker } }\n',
      'o.yaml',
      planTargets(),
    );
    expect(formatTimeline(open, runTargets('kafka'))).toMatch(
      /30s {2}end {4}\| {20}█{20}\| {2}\[0\] kafka killed/,
    );
    const none = parsePlan('description: nothing\nsteps: []\n', 'none.yaml', planTargets());
    expect(formatTimeline(none, runTargets('kafka'))).toContain('(no faults: a baseline run)');
  });
});

describe('quota modes', () => {
  it.each([
    ['off', { mode: 'off', multiplier: 1 }],
    ['on', { mode: 'on', multiplier: 1 }],
    ['0.5', { mode: 'on', multiplier: 0.5 }],
    ['x2', { mode: 'on', multiplier: 2 }],
    ['on x0.25', { mode: 'on', multiplier: 0.25 }],
  ])('%s', (raw, mode) => {
    expect(parseQuotaMode(raw)).toEqual(mode);
  });

  it.each(['0', '-1', 'fast', ''])('rejects %j', (raw) => {
    expect(() => parseQuotaMode(raw)).toThrow(/expected off, on or a multiplier/);
  });
});
