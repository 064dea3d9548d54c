/**
 * Where k6's output sits in a results directory: one k6 writes `k6-samples.csv.gz` and
 * `k6-summary.json` at its top; a run whose load was split over N k6 agents (`hunt run
 * --agents N`, remote hosts, k6-operator's pods) keeps each agent's in
 * `agents/agent-<i>/` (i = 0..N-1). Every reader of k6's output goes through here, so
 * that one k6 and N agents read the same.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReportInputError } from './errors.ts';
import { RESULTS } from './layout.ts';

export const AGENTS_DIR = 'agents';
export const K6_SAMPLES_FILE = RESULTS.k6Samples;
export const K6_SUMMARY_FILE = 'k6-summary.json';
/** An agent's log sits beside its samples (one k6's is `logs/k6.log`). */
export const AGENT_LOG_FILE = 'k6.log';

export const agentDir = (results: string, index: number): string =>
  join(results, AGENTS_DIR, `agent-${index}`);

/** The agents' directories, by index; empty when the run had one k6 of its own. */
export function agentDirs(results: string): string[] {
  const root = join(results, AGENTS_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => /^agent-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
    .map((i) => agentDir(results, i));
}

/**
 * How many agents a run had: `declared` (run.json's `agents.count`) when given; otherwise
 * (results brought back from pods) the highest `agent-<i>` index + 1, so that a gap is a
 * missing agent, not a smaller run. Undefined: one k6 of its own.
 */
export function agentCount(results: string, declared?: number): number | undefined {
  if (declared !== undefined) return declared;
  const dirs = agentDirs(results);
  if (dirs.length === 0 || existsSync(join(results, K6_SAMPLES_FILE))) return undefined;
  return Number(/agent-(\d+)$/.exec(dirs.at(-1)!)![1]) + 1;
}

/** Directories of k6 output: the results directory itself, or each agent's. */
export function k6Dirs(results: string): string[] {
  const n = agentCount(results);
  // Every agent's, present or not: a missing one leaves its figures unknown, not skipped.
  return n === undefined ? [results] : Array.from({ length: n }, (_, i) => agentDir(results, i));
}

/** Every k6 samples file that exists, one per agent (or the one k6's). */
export function k6SampleFiles(results: string): string[] {
  return k6Dirs(results)
    .map((d) => join(d, K6_SAMPLES_FILE))
    .filter((f) => existsSync(f));
}

type Metrics = Record<string, { values?: Record<string, number> }>;

/**
 * k6's summary metrics of one directory; null when it left none. A summary that is there
 * but unreadable is an error naming the file: its figures are not silently unknown.
 */
function summaryMetrics(dir: string): Metrics | null {
  const file = join(dir, K6_SUMMARY_FILE);
  if (!existsSync(file)) return null;
  let parsed: { metrics?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { metrics?: unknown };
  } catch (err) {
    throw new ReportInputError(`${file}: not k6's JSON summary: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed.metrics !== 'object' || parsed.metrics === null)
    throw new ReportInputError(`${file}: metrics: missing; not k6's JSON summary`);
  return parsed.metrics as Metrics;
}

/** What k6's own end-of-test summary says (one k6's, or summed over the agents). */
export interface K6SummaryFigures {
  /** hunt_accepted: k6's count of 202s. */
  accepted: number;
  droppedIterations: number;
  /** hunt_error_rate; null when no answer was counted. */
  errorRate: number | null;
  /** hunt_error_rate's errors (passes) and answers, for a sum over agents; null: not listed. */
  errorCounts: { errors: number; answers: number } | null;
}

function figuresOf(m: Metrics): K6SummaryFigures {
  const rate = m['hunt_error_rate']?.values;
  const passes = rate?.['passes'];
  const fails = rate?.['fails'];
  return {
    accepted: m['hunt_accepted']?.values?.['count'] ?? 0,
    // k6 only lists dropped_iterations once one was dropped.
    droppedIterations: m['dropped_iterations']?.values?.['count'] ?? 0,
    errorRate: typeof rate?.['rate'] === 'number' ? rate['rate'] : null,
    errorCounts:
      typeof passes === 'number' && typeof fails === 'number'
        ? { errors: passes, answers: passes + fails }
        : null,
  };
}

/** Per directory (the one k6's, or an agent's), its summary's figures; null where none was written. */
export function k6SummaryFiguresOf(dirs: string[]): (K6SummaryFigures | null)[] {
  return dirs.map((dir) => {
    const m = summaryMetrics(dir);
    return m ? figuresOf(m) : null;
  });
}

/**
 * Summed over the agents: counts add, the error rate is all errors over all answers (never
 * an average of rates). Null when any agent left no summary: a sum missing an agent would
 * look like a smaller, complete run.
 */
export function sumK6Figures(each: (K6SummaryFigures | null)[]): K6SummaryFigures | null {
  if (each.length === 0 || each.some((f) => f === null)) return null;
  const all = each as K6SummaryFigures[];
  if (all.length === 1) return all[0]!;
  const counted = all.every((f) => f.errorCounts !== null);
  const errors = all.reduce((n, f) => n + (f.errorCounts?.errors ?? 0), 0);
  const answers = all.reduce((n, f) => n + (f.errorCounts?.answers ?? 0), 0);
  return {
    accepted: all.reduce((n, f) => n + f.accepted, 0),
    droppedIterations: all.reduce((n, f) => n + f.droppedIterations, 0),
    errorRate: counted && answers > 0 ? errors / answers : null,
    errorCounts: counted ? { errors, answers } : null,
  };
}

export const k6SummaryFigures = (results: string): K6SummaryFigures | null =>
  sumK6Figures(k6SummaryFiguresOf(k6Dirs(results)));
