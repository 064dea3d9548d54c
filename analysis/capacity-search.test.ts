import { describe, expect, it } from 'vitest';
import { type Phase, type SearchSettings, searchKnee } from './capacity-search.ts';

const SETTINGS: SearchSettings = {
  start: 0.5,
  factor: 2,
  maxSteps: 6,
  maxDown: 2,
  resolution: 1.25,
  repeats: 3,
};

/** A system that holds every scale below `breaksAt` and breaks at and above it. */
const threshold = (breaksAt: number) => async (scale: number) => scale < breaksAt;

describe('the capacity search', () => {
  for (const breaksAt of [0.3, 0.61, 1.7, 2.9, 7.5])
    it(`finds a knee at ${breaksAt} within one step and confirms it`, async () => {
      const r = await searchKnee(SETTINGS, threshold(breaksAt));
      expect(r.complete).toBe(true);
      expect(r.held).not.toBeNull();
      expect(r.broken).not.toBeNull();
      expect(r.held!).toBeLessThan(breaksAt);
      expect(r.broken!).toBeGreaterThanOrEqual(breaksAt);
      // Within one bisection step: the two scales at most `resolution` apart.
      expect(r.broken! / r.held!).toBeLessThanOrEqual(SETTINGS.resolution * 1.01);
      // Confirmed: every run at the held scale held, the broken one ran as often.
      const at = (x: number) => r.trials.filter((t) => t.scale === x);
      expect(at(r.held!)).toHaveLength(3);
      expect(at(r.held!).every((t) => t.held)).toBe(true);
      expect(at(r.broken!)).toHaveLength(3);
    });

  it('steps down from a start that broke, no further than maxDown', async () => {
    const r = await searchKnee(SETTINGS, threshold(0.01));
    expect(r.held).toBeNull();
    expect(r.broken).toBe(0.125);
    expect(r.trials.filter((t) => t.phase === 'climb').map((t) => t.scale)).toEqual([
      0.5, 0.25, 0.125,
    ]);
  });

  it('says when no scale tried broke', async () => {
    const r = await searchKnee({ ...SETTINGS, maxSteps: 3 }, threshold(100));
    expect(r.held).toBe(2);
    expect(r.broken).toBeNull();
    expect(r.trials.filter((t) => t.scale === 2)).toHaveLength(3);
  });

  it('moves the knee below a held scale that broke in a repeat (a flapping step)', async () => {
    // 1.41 holds the first time it runs and breaks on its repeat; everything below holds, 1.6 and above break.
    const seen = new Map<number, number>();
    const flapping = async (scale: number) => {
      const n = (seen.get(scale) ?? 0) + 1;
      seen.set(scale, n);
      if (scale >= 1.6) return false;
      if (scale === 1.41) return n === 1;
      return true;
    };
    const r = await searchKnee(SETTINGS, flapping);
    expect(r.complete).toBe(true);
    expect(r.broken).toBe(1.41);
    // The climb's 1 is the largest scale below it that held: it is confirmed in its place.
    expect(r.held).toBe(1);
    const at = (x: number) => r.trials.filter((t) => t.scale === x);
    expect(at(1).every((t) => t.held)).toBe(true);
    expect(at(1)).toHaveLength(3);
    // The flapping scale: held once, broke once, and topped up to three runs.
    expect(at(1.41).map((t) => t.held)).toEqual([true, false, false]);
  });

  it('stops where the run function says so, incomplete', async () => {
    let n = 0;
    const r = await searchKnee(SETTINGS, async (_s: number, _p: Phase) => (++n > 2 ? null : true));
    expect(r.complete).toBe(false);
    expect(r.trials).toHaveLength(2);
  });
});
