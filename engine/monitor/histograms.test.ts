import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { expect, test } from 'vitest';
import { LatencyHistograms } from './histograms.ts';

test('interval histograms hold only what was recorded since the previous call', () => {
  let t = 1_000;
  const h = new LatencyHistograms(() => t);
  for (let i = 1; i <= 100; i++) h.recordE2eMs(i);
  h.recordPublishMs(0.25);
  t = 2_000;
  const first = h.interval();
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
  const second = h.interval();
  expect(second.counts).toEqual({ e2e: 0, publish: 0 });
  expect(second.startMs).toBe(2_000);
});
