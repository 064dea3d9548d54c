/**
 * Retry pauses on a fake clock. The jitter draw is pinned just below 1, so each pause lies
 * within a millisecond under its bound: checking that every gap between attempts is within
 * 2 ms under its bound checks the bounds themselves, not only that some pause happened.
 */
import { expect, vi } from 'vitest';

export function pinJitter(): void {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.9995);
}

export function unpinJitter(): void {
  vi.restoreAllMocks();
  vi.useRealTimers();
}

/**
 * Runs the fake clock until `done` settles; `at` holds the fake time (Date.now) of every
 * attempt. Resolves with what `done` resolved to.
 */
export async function expectPauses<T>(done: Promise<T>, at: number[], bounds: number[]) {
  await vi.runAllTimersAsync();
  const out = await done;
  const gaps = at.slice(1).map((t, i) => t - at[i]!);
  // A gap within its bound reads as the bound, so that a failure shows the gaps side by side.
  expect(gaps.map((g, i) => (g > bounds[i]! - 2 && g <= bounds[i]! ? bounds[i] : g))).toEqual(
    bounds,
  );
  return out;
}
