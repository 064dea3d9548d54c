/**
 * The load a scenario will offer, read from k6 itself: `k6 inspect` resolves the script's
 * options with the run's environment, and the arrival-rate executors' stages give the target
 * rate at every second. Works for any scenario, shipped or written by a user.
 */
import { execa } from 'execa';
import type { K6Command } from '../scenarios/lib-node/run-k6.ts';

export interface LoadShape {
  /** Seconds until the last scenario's last stage ends. */
  durationS: number;
  /** Offered arrivals per second at t (s); null where no arrival-rate executor defines it. */
  targetRps(t: number): number | null;
  /**
   * The highest rate offered at any instant, between the 1 Hz samples too (a compressed
   * burst's peak can last under a second); null as targetRps.
   */
  peakRps: number | null;
}

interface Stage {
  duration: string;
  target: number;
}

interface ScenarioOptions {
  executor: string;
  startTime?: string | null;
  timeUnit?: string | null;
  rate?: number;
  duration?: string;
  startRate?: number;
  stages?: Stage[];
}

const UNITS: Record<string, number> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
  us: 1e-6,
  µs: 1e-6,
  ns: 1e-9,
};

/** Go's duration text as k6 prints it ("1m30s", "500ms") in seconds. */
export function goDurationS(text: string | null | undefined): number {
  if (!text) return 0;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/([\d.]+)(h|ms|us|µs|ns|m|s)/g)) {
    total += Number(n) * (UNITS[unit!] ?? 0);
  }
  return total;
}

/** `last`: a scenario's final piece, which offers its end rate at its end instant too. */
type Piece = { from: number; to: number; startS: number; endS: number; last?: boolean };

/** Each arrival-rate scenario as linear pieces of (start rate → end rate) per second. */
function pieces(s: ScenarioOptions): Piece[] {
  const unitS = goDurationS(s.timeUnit ?? '1s') || 1;
  let t = goDurationS(s.startTime);
  if (s.executor === 'constant-arrival-rate') {
    const rate = (s.rate ?? 0) / unitS;
    return [{ from: rate, to: rate, startS: t, endS: t + goDurationS(s.duration), last: true }];
  }
  if (s.executor === 'ramping-arrival-rate') {
    const out: Piece[] = [];
    let rate = (s.startRate ?? 0) / unitS;
    for (const stage of s.stages ?? []) {
      const d = goDurationS(stage.duration);
      const next = stage.target / unitS;
      out.push({ from: rate, to: next, startS: t, endS: t + d });
      rate = next;
      t += d;
    }
    if (out.length > 0) out[out.length - 1]!.last = true;
    return out;
  }
  return [];
}

export function shapeFromOptions(options: {
  scenarios?: Record<string, ScenarioOptions> | null;
}): LoadShape {
  const all = Object.values(options.scenarios ?? {}).flatMap(pieces);
  const durationS = Math.max(0, ...all.map((p) => p.endS));
  // Each piece holds [start, end): where one stage ends and the next begins, one of them.
  const exact = (t: number) => {
    let sum = 0;
    for (const p of all) {
      if (t < p.startS || t > p.endS || (t === p.endS && !p.last)) continue;
      const span = p.endS - p.startS;
      sum += span > 0 ? p.from + ((p.to - p.from) * (t - p.startS)) / span : p.to;
    }
    return sum;
  };
  const round = (n: number) => Math.round(n * 10) / 10;
  // Piecewise linear: its highest value is at a vertex, a piece's start or (its end rate) end.
  const vertices = all.flatMap((p) => [p.startS, p.endS]);
  const ends = all.map((p) => p.to);
  return {
    durationS,
    targetRps: (t) => (all.length === 0 ? null : round(exact(t))),
    peakRps: all.length === 0 ? null : round(Math.max(...vertices.map(exact), ...ends)),
  };
}

/** Runs `k6 inspect` with the same settings the run will use. */
export async function inspectShape(cmd: K6Command): Promise<LoadShape> {
  const runAt = cmd.args.indexOf('run');
  const args = cmd.args.filter(
    (a, i) =>
      i !== runAt &&
      a !== '--quiet' &&
      !a.startsWith('--no-usage') &&
      !a.startsWith('--include-system'),
  );
  // `inspect` takes -e and the script, not run's --out.
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') {
      i++;
      continue;
    }
    kept.push(args[i]!);
  }
  const { stdout } = await execa(cmd.bin, ['inspect', ...kept], { env: cmd.env, stdin: 'ignore' });
  return shapeFromOptions(JSON.parse(stdout));
}
