/**
 * The peak-sale replay follows the flash-sale profile within 5% per 10-second window,
 * measured from k6's own CSV samples against the real engine on the memory backend.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  expectedArrivals,
  parseProfile,
  profileToRamp,
  type Ramp,
} from '../../scenarios/lib/profile.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { expectPassed, runK6 } from './scenarios-k6.ts';

/**
 * When the scenario started, in the samples' clock: the median gap between each arrival's
 * recorded time and its scheduled offset (k6 starts arrival i when the area under the rate
 * curve reaches i). Robust to a slow first request, which min(times) is not.
 */
function startOf(times: number[], ramp: Ramp): number {
  const sorted = [...times].sort((a, b) => a - b);
  const offsets: number[] = [];
  let area = 0;
  const stepS = 0.001;
  for (let t = 0, i = 0; i < sorted.length && t <= ramp.durationS; t += stepS) {
    while (i < sorted.length && area >= i) {
      offsets.push(sorted[i]! - t);
      i++;
    }
    area += expectedArrivals(ramp, t, t + stepS);
  }
  offsets.sort((a, b) => a - b);
  return offsets[Math.floor(offsets.length / 2)]!;
}

describe('the peak-sale scenario against the memory engine', () => {
  it('peak-sale replays the flash-sale profile within 5% per 10-second window', async () => {
    const env = { DURATION: '40s', SCALE: '0.4', RETRIES: '0' };
    const r = await runK6('peak-sale', 'peak-sale', env);
    expectPassed(r);
    const profileText = await readFile(
      join(REPO_ROOT, 'scenarios/profiles/flash-sale.json'),
      'utf8',
    );
    const ramp = profileToRamp(parseProfile(JSON.parse(profileText), 'flash-sale'), {
      scale: 0.4,
      durationS: 40,
    });
    // Arrivals as k6 recorded them: one `iterations` sample per started arrival (no retries,
    // so each ends within milliseconds of its start).
    const csv = gunzipSync(await readFile(join(r.dir, 'k6-samples.csv.gz'))).toString();
    const times = csv
      .split('\n')
      .filter((l) => l.startsWith('iterations,'))
      .map((l) => Number(l.split(',')[1]) / 1000);
    const t0 = startOf(times, ramp);
    const windows = [];
    for (let w = 0; w < ramp.durationS; w += 10) {
      const got = times.filter((t) => t - t0 >= w && t - t0 < w + 10).length;
      const want = expectedArrivals(ramp, w, w + 10);
      windows.push({
        window: `${w}-${w + 10}s`,
        want: Math.round(want),
        got,
        err: (got - want) / want,
      });
    }
    console.info('peak-sale achieved vs profile per 10 s window:', windows);
    for (const w of windows) expect(Math.abs(w.err)).toBeLessThanOrEqual(0.05);
  });
});
