/**
 * The breaking-point search of `hunt capacity`, apart from how a run is made: climb the scale
 * in geometric steps from a start until a run breaks (or step down until one holds), bisect
 * geometrically between the last that held and the first that broke, then confirm the knee
 * with repeats at both. A held scale must hold in every repeat: one that breaks in a repeat
 * becomes the first broken scale, and the next lower scale that held is confirmed instead.
 */

export interface SearchSettings {
  /** The first scale tried. */
  start: number;
  /** Each climbing step multiplies the scale by this (> 1). */
  factor: number;
  /** Climbing (or descending) steps at most, before any bisection. */
  maxSteps: number;
  /** Steps below the start at most, when the start already broke. */
  maxDown: number;
  /** Bisect until the broken scale is at most this many times the held one (> 1). */
  resolution: number;
  /** Runs at each of the knee's two scales, the first included (1: no confirmation). */
  repeats: number;
}

export type Phase = 'climb' | 'bisect' | 'confirm';

export interface Trial {
  scale: number;
  phase: Phase;
  held: boolean;
}

/** Runs one step at a scale: whether it held; null when the search must stop (interrupted). */
export type TryScale = (scale: number, phase: Phase) => Promise<boolean | null>;

export interface SearchOutcome {
  trials: Trial[];
  /** The largest scale that held in every run at it; null: none did. */
  held: number | null;
  /** The smallest scale above `held` that broke in a run; null: none did. */
  broken: number | null;
  /** False when the search was stopped before it settled. */
  complete: boolean;
}

/** Three significant digits: scales that read well in directory names and tables. */
export const roundScale = (x: number) => Number(x.toPrecision(3));

export async function searchKnee(s: SearchSettings, attempt: TryScale): Promise<SearchOutcome> {
  const trials: Trial[] = [];
  let lo: number | null = null;
  let hi: number | null = null;
  const out = (complete: boolean): SearchOutcome => ({ trials, held: lo, broken: hi, complete });
  const run = async (scale: number, phase: Phase) => {
    const held = await attempt(scale, phase);
    if (held !== null) trials.push({ scale, phase, held });
    return held;
  };
  const runsAt = (scale: number) => trials.filter((t) => t.scale === scale);

  // Climb until a run breaks; from a start that broke, step down until one holds.
  const floor = s.start / s.factor ** s.maxDown;
  let scale = roundScale(s.start);
  for (let step = 0; step < s.maxSteps && scale >= roundScale(floor); step++) {
    const held = await run(scale, 'climb');
    if (held === null) return out(false);
    if (held) lo = scale;
    else hi = scale;
    if (lo !== null && hi !== null) break;
    scale = roundScale(held ? scale * s.factor : scale / s.factor);
  }

  // Bisect on a log scale: the knee's uncertainty is a ratio, as the steps are.
  while (lo !== null && hi !== null && hi / lo > s.resolution) {
    const mid = roundScale(Math.sqrt(lo * hi));
    if (mid <= lo || mid >= hi) break;
    const held = await run(mid, 'bisect');
    if (held === null) return out(false);
    if (held) lo = mid;
    else hi = mid;
  }

  // Confirm the held scale: every repeat must hold, or the knee moves below it.
  while (lo !== null) {
    let broke = runsAt(lo).some((t) => !t.held);
    while (!broke && runsAt(lo).length < s.repeats) {
      const held = await run(lo, 'confirm');
      if (held === null) return out(false);
      broke = !held;
    }
    if (!broke) break;
    hi = lo;
    const below = new Set(trials.filter((t) => t.scale < (hi as number)).map((t) => t.scale));
    const steady = [...below].filter((x) => runsAt(x).every((t) => t.held));
    lo = steady.length > 0 ? Math.max(...steady) : null;
  }
  // Confirm the broken scale: how many of its repeats broke is part of the answer.
  while (hi !== null && runsAt(hi).length < s.repeats) {
    if ((await run(hi, 'confirm')) === null) return out(false);
  }
  return out(true);
}
