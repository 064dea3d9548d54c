/**
 * Was the load generator, not the system under test, the bottleneck? On a small host k6
 * shares the cores with the engine and the brokers: when k6 itself is short of CPU, or could
 * not start iterations on time, the run measured k6 as much as the system, and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { k6SummaryFigures } from '../contract/k6-agents.ts';

/** k6 this busy (% of one core) in a second counts as saturated: it is starved for more. */
export const K6_SATURATED_PCT = 90;
/** Saturated in more than this share of the seconds it was sampled: a bottleneck, not a blip. */
export const K6_SATURATED_SHARE = 0.2;

export interface LoadGeneratorCheck {
  /** Seconds with a k6 CPU sample, and those at or above the saturation mark. */
  sampledS: number;
  saturatedS: number;
  /** k6's dropped_iterations: iterations it could not start on time; null without its summary. */
  dropped: number | null;
}

const K6_PROCESS = /^k6(-\d+)?$/;

/** Reads timeline.ndjson and k6-summary.json (every agent's) of a results directory. */
export function checkLoadGenerator(dir: string): LoadGeneratorCheck {
  let sampledS = 0;
  let saturatedS = 0;
  const timeline = join(dir, 'timeline.ndjson');
  if (existsSync(timeline)) {
    for (const line of readFileSync(timeline, 'utf8').split('\n')) {
      if (!line) continue;
      const processes = (JSON.parse(line) as { processes?: Record<string, { cpuPct: number }> })
        .processes;
      // The one k6 (`k6`) or each agent (`k6-<i>`): a second counts once any was saturated.
      const pcts = Object.entries(processes ?? {})
        .filter(([name]) => K6_PROCESS.test(name))
        .map(([, p]) => p.cpuPct);
      if (pcts.length === 0) continue;
      sampledS++;
      if (pcts.some((pct) => pct >= K6_SATURATED_PCT)) saturatedS++;
    }
  }
  const dropped = k6SummaryFigures(dir)?.droppedIterations ?? null;
  return { sampledS, saturatedS, dropped };
}

/** One warning line when the load generator was the bottleneck, else undefined. */
export function loadGeneratorWarning(c: LoadGeneratorCheck): string | undefined {
  if (c.sampledS === 0 && c.dropped === null)
    return 'warning: unknown whether the load generator was the bottleneck (no k6 CPU samples, no k6 summary)';
  const why: string[] = [];
  if (c.saturatedS > c.sampledS * K6_SATURATED_SHARE)
    why.push(
      `k6 was CPU-saturated (≥ ${K6_SATURATED_PCT}% of a core) ${c.saturatedS} of ${c.sampledS} s`,
    );
  if (c.dropped !== null && c.dropped > 0)
    why.push(
      `k6 dropped ${c.dropped.toLocaleString('en-US')} iterations (it could not offer the rate)`,
    );
  if (why.length === 0) return undefined;
  return `warning: the load generator, not the system under test, was the bottleneck: ${why.join('; ')}`;
}

/** The warnings of results directories, one line each, naming the directory when several. */
export function bottleneckWarnings(dirs: string[]): string[] {
  return dirs.flatMap((d) => {
    const w = loadGeneratorWarning(checkLoadGenerator(d));
    return w ? [dirs.length > 1 ? `${d}: ${w}` : w] : [];
  });
}
