/**
 * Rate profiles: (second, requests/s) points with linear ramps between them, which is exactly
 * what k6's ramping-arrival-rate executor does between stages. Pure: shared by the peak-sale
 * scenario (k6) and `hunt profile import` (Node).
 */
import { UserError } from '../../common/user-error.ts';

export interface ProfilePoint {
  /** Seconds from the start of the profile. */
  s: number;
  /** Arrival rate at that second, requests/s. */
  rps: number;
}

export interface Profile {
  name: string;
  description?: string;
  points: ProfilePoint[];
}

export interface Stage {
  /** k6 duration string in whole milliseconds, e.g. '1500ms'. */
  duration: string;
  target: number;
}

export interface Ramp {
  startRate: number;
  stages: Stage[];
  /** Highest rate of any stage: what VU sizing has to carry. */
  peakRate: number;
  durationS: number;
}

export class ProfileError extends UserError {
  override name = 'ProfileError';
}

const PROFILE_KEYS = new Set(['name', 'description', 'points']);
const POINT_KEYS = new Set(['s', 'rps']);

/** Validates a parsed profile JSON; unknown keys and non-increasing seconds are errors. */
export function parseProfile(json: unknown, source: string): Profile {
  const fail = (msg: string): never => {
    throw new ProfileError(`${source}: ${msg}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('expected an object');
  const obj = json as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!PROFILE_KEYS.has(key)) fail(`unknown key '${key}' (allowed: name, description, points)`);
  }
  if (typeof obj.name !== 'string' || obj.name === '') fail("'name' must be a non-empty string");
  if (obj.description !== undefined && typeof obj.description !== 'string') {
    fail("'description' must be a string");
  }
  if (!Array.isArray(obj.points) || obj.points.length < 2) fail("'points' needs at least 2 points");
  const points: ProfilePoint[] = [];
  (obj.points as unknown[]).forEach((p, i) => {
    const at = `points[${i}]`;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) fail(`${at}: expected {s, rps}`);
    const rec = p as Record<string, unknown>;
    for (const key of Object.keys(rec)) {
      if (!POINT_KEYS.has(key)) fail(`${at}: unknown key '${key}' (allowed: s, rps)`);
    }
    const { s, rps } = rec;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) fail(`${at}.s must be a number ≥ 0`);
    if (typeof rps !== 'number' || !Number.isFinite(rps) || rps < 0) {
      fail(`${at}.rps must be a number ≥ 0`);
    }
    const prev = points[points.length - 1];
    if (i === 0 && s !== 0) fail(`${at}.s must be 0: a profile starts at its first second`);
    if (prev && (s as number) <= prev.s)
      fail(`${at}.s must be above the previous point's ${prev.s}`);
    points.push({ s: s as number, rps: rps as number });
  });
  const out: Profile = { name: obj.name as string, points };
  if (obj.description !== undefined) out.description = obj.description as string;
  return out;
}

/**
 * Turns a profile into ramping-arrival-rate stages. `scale` multiplies every rate;
 * `durationS`, when given, stretches or compresses the time axis to that length.
 * Rates round to whole requests/s (k6 stage targets are integers per timeUnit of 1s).
 */
export function profileToRamp(profile: Profile, opts: { scale?: number; durationS?: number } = {}) {
  const scale = opts.scale ?? 1;
  const last = profile.points[profile.points.length - 1]!;
  const timeFactor = opts.durationS === undefined ? 1 : opts.durationS / last.s;
  const rate = (rps: number) => Math.max(0, Math.round(rps * scale));
  const stages: Stage[] = [];
  let prevMs = 0;
  for (const p of profile.points.slice(1)) {
    // Rounding cumulative times (not each step) keeps the total length exact.
    const atMs = Math.round(p.s * timeFactor * 1000);
    if (atMs === prevMs) {
      const lastStage = stages[stages.length - 1];
      if (lastStage) lastStage.target = rate(p.rps);
      continue;
    }
    stages.push({ duration: `${atMs - prevMs}ms`, target: rate(p.rps) });
    prevMs = atMs;
  }
  const startRate = rate(profile.points[0]!.rps);
  const peakRate = Math.max(startRate, ...stages.map((s) => s.target));
  return { startRate, stages, peakRate, durationS: prevMs / 1000 } satisfies Ramp;
}

/** Expected arrivals between t0 and t1 (seconds) of a ramp: the area under its rate curve. */
export function expectedArrivals(ramp: Ramp, t0: number, t1: number): number {
  let total = 0;
  let start = 0;
  let from = ramp.startRate;
  for (const stage of ramp.stages) {
    const len = Number.parseInt(stage.duration, 10) / 1000;
    const end = start + len;
    const a = Math.max(t0, start);
    const b = Math.min(t1, end);
    if (b > a) {
      const at = (t: number) => from + ((stage.target - from) * (t - start)) / len;
      total += ((at(a) + at(b)) / 2) * (b - a);
    }
    start = end;
    from = stage.target;
  }
  return total;
}
