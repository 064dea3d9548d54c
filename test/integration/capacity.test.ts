/**
 * `hunt capacity` end to end on a private stack: real engine, kinesalite behind the quota
 * layer at a small multiplier, k6. One shard at 0.2 of AWS's 1,000 records/s admits 200
 * records/s; the steady scenario offers 50 requests/s per unit of scale, one record each, so
 * the knee is predicted at 200 requests/s (scale 4). The search must find it within one step
 * and name the throttling, not the machine.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CapacityRecord } from '../../contract/capacity.ts';
import { componentsOf, hunt, startTestStack, type TestStack } from './stack-fixture.ts';

/** AWS's published per-shard write limit, records/s. */
const SHARD_RECORDS_PER_S = 1_000;
const SHARDS = 1;
const MULTIPLIER = 0.2;
/** scenarios/steady.ts: RATE 50 requests/s at scale 1. */
const RPS_PER_SCALE = 50;
const FACTOR = 2;

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'hunt-capacity-'));

beforeAll(async () => {
  stack = await startTestStack(() => {}, { only: componentsOf('kinesis') });
});
afterAll(async () => {
  await stack?.stop();
});

it('finds the knee the Kinesis quota predicts, within one step, bound by broker throttling', async () => {
  const out = join(work, 'capacity');
  const predicted = SHARD_RECORDS_PER_S * SHARDS * MULTIPLIER;
  const run = await hunt(
    [
      'capacity',
      '--backends',
      'kinesis',
      '--designs',
      'hardened',
      '--scenario',
      'steady',
      '--fidelity',
      'loopback',
      '--partitions',
      String(SHARDS),
      '--kinesis-quota',
      String(MULTIPLIER),
      '--duration',
      '10s',
      '--scale',
      String(predicted / RPS_PER_SCALE / FACTOR),
      '--factor',
      String(FACTOR),
      '--max-steps',
      '3',
      '--resolution',
      '1.5',
      '--repeat',
      '1',
      '--out',
      out,
    ],
    stack.env,
  );
  expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
  // Progress as it goes, the answer per configuration and the final table.
  expect(run.stdout).toMatch(/\[capacity\] kinesis · hardened: step 1 \(climb\) at scale 2\b/);
  expect(run.stdout).toMatch(/step \d scale [\d.]+, offered peak [\d,]+\/s: (held|broke)/);
  expect(run.stdout).toMatch(
    /^kinesis · hardened held up to [\d,]+ requests\/s; at [\d,]+\/s .*; bound by: broker throttling\.$/m,
  );
  expect(run.stdout).toMatch(/configuration +held up to +first broke at/);

  const record = CapacityRecord.parse(JSON.parse(readFileSync(join(out, 'capacity.json'), 'utf8')));
  expect(record.complete).toBe(true);
  expect(record.peakRpsPerScale).toBe(RPS_PER_SCALE);
  const [c] = record.configurations;
  expect(c?.name).toBe('kinesis · hardened');
  const k = c!.knee;
  expect(k.heldPeakRps, k.sentence).not.toBeNull();
  expect(k.brokenPeakRps, k.sentence).not.toBeNull();
  // Within one climbing step of the predicted rate on either side, and never held above it.
  expect(k.heldPeakRps!).toBeGreaterThanOrEqual(predicted / FACTOR);
  expect(k.heldPeakRps!).toBeLessThanOrEqual(predicted * 1.05);
  expect(k.brokenPeakRps!).toBeLessThanOrEqual(predicted * FACTOR);
  expect(k.bottleneck).toMatchObject({ kind: 'broker-throttling', machine: false });
  // The quota layer's own count of refused writes is what names it.
  const broken = c!.steps.filter((s) => s.scale === k.brokenScale);
  expect(broken.some((s) => (s.figures.quotaThrottled ?? 0) > 0)).toBe(true);
  for (const s of c!.steps) expect(existsSync(join(s.dir, 'summary.json'))).toBe(true);
  const html = readFileSync(join(out, 'capacity.html'), 'utf8');
  expect(html).toContain(`${k.sentence}.`);
  expect(html).toContain('<svg');
}, 330_000);
