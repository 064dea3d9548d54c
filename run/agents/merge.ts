/**
 * A run's load split over N k6 agents, read back as one run: every agent's samples
 * (`agents/agent-<i>/k6-samples.csv.gz`) feed the audit's witness, the HTTP percentiles come
 * from the agents' HDR histograms added together (never from averaged percentiles), and
 * each agent keeps a row (requests, accepted, dropped iterations, CPU, exit code) so that
 * an agent that could not keep up shows. One k6 (no agents/) reads the same way.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  agentDir,
  K6_SAMPLES_FILE,
  type K6SummaryFigures,
  agentCount as k6AgentCount,
  k6SampleFiles,
  k6SummaryFiguresOf,
  sumK6Figures,
} from '../../contract/k6-agents.ts';
import { type K6Samples, mergeK6Samples, readK6Samples } from '../../contract/k6-samples.ts';
import type { AgentRow, RunManifest, TimelinePoint } from '../../contract/schema.ts';
import { agentDaemon } from '../../scenarios/lib-node/run-k6.ts';

export interface AgentsMerged {
  /** Every agent's samples merged; null when k6 left none, or an agent's are missing. */
  samples: K6Samples | null;
  /** k6's end-of-test summaries summed; null when an agent left none. */
  summary: K6SummaryFigures | null;
  /** One row per agent; undefined for a run with one k6. */
  rows: AgentRow[] | undefined;
}

/**
 * The samples files the audit's witness must read: every agent's, named whether or not it
 * exists, so that a missing one fails the witness instead of shrinking it.
 */
export function witnessFiles(dir: string, manifest: Pick<RunManifest, 'agents'>): string[] {
  const n = agentCount(dir, manifest);
  if (n === undefined) return [join(dir, K6_SAMPLES_FILE)];
  return Array.from({ length: n }, (_, i) => join(agentDir(dir, i), K6_SAMPLES_FILE));
}

/** How many agents a run had (contract/k6-agents.ts `agentCount`); undefined: one k6. */
export const agentCount = (dir: string, manifest: Pick<RunManifest, 'agents'>) =>
  k6AgentCount(dir, manifest.agents?.count);

/** Mean and max CPU of one process name over the timeline; null when never sampled. */
export function cpuOf(points: TimelinePoint[], name: string): AgentRow['cpuPct'] {
  const pcts = points.flatMap((p) => {
    const pct = p.processes?.[name]?.cpuPct;
    return pct === undefined ? [] : [pct];
  });
  if (pcts.length === 0) return null;
  const mean = pcts.reduce((a, b) => a + b, 0) / pcts.length;
  return { mean: Math.round(mean * 10) / 10, max: Math.max(...pcts) };
}

export async function mergeAgents(
  dir: string,
  manifest: Pick<RunManifest, 'agents'>,
  points: TimelinePoint[],
  exits: (number | null)[] = [],
): Promise<AgentsMerged> {
  const n = agentCount(dir, manifest);
  const files = n === undefined ? k6SampleFiles(dir) : witnessFiles(dir, manifest);
  const each: (K6Samples | null)[] = [];
  // One file at a time: a large run's files are streamed, not held together.
  for (const f of files) each.push(existsSync(f) ? await readK6Samples(f) : null);
  const present = each.filter((s): s is K6Samples => s !== null);
  // A merge missing an agent would look like a smaller, complete run: unknown instead.
  const merged =
    present.length === 0 || present.length < each.length
      ? null
      : present.length === 1
        ? present[0]!
        : mergeK6Samples(present);
  const summaries = k6SummaryFiguresOf(
    n === undefined ? [dir] : Array.from({ length: n }, (_, i) => agentDir(dir, i)),
  );
  const summary = sumK6Figures(summaries);
  if (n === undefined) return { samples: merged, summary, rows: undefined };
  const rows: AgentRow[] = Array.from({ length: n }, (_, i) => {
    const own = each[i] ?? null;
    const fromSummary = summaries[i]?.droppedIterations;
    return {
      agent: i,
      host: manifest.agents?.hosts?.[i] ?? null,
      requests: own ? own.requests : null,
      accepted: own ? (own.byStatus['202'] ?? 0) : null,
      droppedIterations: fromSummary ?? own?.droppedIterations ?? null,
      cpuPct: cpuOf(points, agentDaemon(i)),
      exit: exits[i] ?? null,
    };
  });
  return { samples: merged, summary, rows };
}
