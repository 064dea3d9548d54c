import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { expect, test } from 'vitest';
import { LatencyHistograms } from './histograms.ts';

test('histograms hold everything since the start; reading resets nothing', () => {
  let t = 1_000;
  const h = new LatencyHistograms(() => t);
  for (let i = 1; i <= 100; i++) h.recordE2eMs(i);
  h.recordPublishMs(0.25);
  t = 2_000;
  const first = h.cumulative();
  expect(first).toMatchObject({
    startMs: 1_000,
    endMs: 2_000,
    unit: 'us',
    counts: { e2e: 100, publish: 1 },
  });
  const e2e = decodeFromCompressedBase64(first.e2e);
  expect(e2e.getValueAtPercentile(99) / 1000).toBeCloseTo(99, 0);
  expect(decodeFromCompressedBase64(first.publish).maxValue).toBeCloseTo(250, -1);
  t = 3_000;
  h.recordE2eMs(500);
  const second = h.cumulative();
  expect(second.counts).toEqual({ e2e: 101, publish: 1 });
  expect(second).toMatchObject({ startMs: 1_000, endMs: 3_000 });
  expect(decodeFromCompressedBase64(second.e2e).totalCount).toBe(101);
});
