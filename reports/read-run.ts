/**
 * Loads one results directory for the report and the gate. Latency percentiles are
 * recomputed from all samples (k6-samples.csv.gz for HTTP, histograms/e2e.hlog for
 * end-to-end) and replace summary.json's; everything else comes from the files as written.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ReportInputError } from '../contract/errors.ts';
import { percentilesMs, readHlog, type SpectrumPoint, spectrum } from '../contract/hdr.ts';
import { agentCount, k6SampleFiles, k6SummaryFigures } from '../contract/k6-agents.ts';
import { answersOf, type K6Samples, readK6SamplesOf } from '../contract/k6-samples.ts';
import { RESULTS } from '../contract/layout.ts';
import {
  Audit,
  ChaosRecord,
  HISTOGRAM_FILES,
  RunManifest,
  Summary,
  type TimelinePoint,
} from '../contract/schema.ts';
import { type Budgets, evaluateBudgets, type K6Figures } from './budgets.ts';
import { deriveSummary } from './incomplete-summary.ts';
import { readTimeline } from './timeline.ts';

export interface RunData {
  dir: string;
  manifest: RunManifest;
  summary: Summary;
  k6: K6Figures;
  timeline: TimelinePoint[];
  chaos: ChaosRecord | null;
  audit: Audit | null;
  spectra: { http: SpectrumPoint[]; e2e: SpectrumPoint[] };
  /** Requests k6 sent per second of the run (index = t), from the samples. */
  sentPerS: number[];
  /** Where each latency figure came from, and how many samples it holds. */
  sources: { http: string; e2e: string };
}

async function readJson<T>(
  dir: string,
  name: string,
  schema: { parse(v: unknown): T },
): Promise<T | null> {
  const file = join(dir, name);
  if (!existsSync(file)) return null;
  try {
    return schema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (err) {
    const why = err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message;
    throw new ReportInputError(`${file}: ${why}`);
  }
}

const isRunDir = (dir: string) => existsSync(join(dir, RESULTS.run));

/** Each path is a run directory, or a directory of run directories (as `hunt compare` writes). */
export async function expandResults(paths: string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const path of paths) {
    if (isRunDir(path)) {
      dirs.push(path);
      continue;
    }
    if (!existsSync(path) || !(await stat(path)).isDirectory()) {
      throw new ReportInputError(`${path}: no such results directory`);
    }
    const children = (await readdir(path, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && isRunDir(join(path, e.name)))
      .map((e) => join(path, e.name))
      .sort();
    if (children.length === 0)
      throw new ReportInputError(`${path}: not a results directory (no run.json)`);
    dirs.push(...children);
  }
  return dirs;
}

/**
 * error_rate and dropped_iterations: k6's own summaries (summed over the agents) when every
 * agent left one, else counted from the samples.
 */
function k6Figures(dir: string, counted: K6Figures): K6Figures {
  const f = k6SummaryFigures(dir);
  if (!f) return counted;
  return { errorRate: f.errorRate ?? counted.errorRate, droppedIterations: f.droppedIterations };
}

/**
 * A run only k6 watched (`hunt k6-operator import`): what k6 was answered is all that is
 * known, so the accepted count and the rate are k6's 202s; the engine's figures stay as the
 * report shows them for such a run, unknown.
 */
function loadOnly(m: RunManifest, summary: Summary, samples: K6Samples | null): void {
  const durationS = m.endedAt ? (Date.parse(m.endedAt) - Date.parse(m.startedAt)) / 1000 : 0;
  const accepted = samples?.byStatus['202'] ?? 0;
  summary.complete = m.complete && samples !== null;
  summary.durationS = durationS;
  summary.accepted = accepted;
  // k6 tells a shed (a 503 whose body says so) from an error: the sheds are its to count.
  summary.shed = Object.values(samples?.shedByReason ?? {}).reduce((a, b) => a + b, 0);
  summary.throughput = { acceptedPerS: durationS > 0 ? accepted / durationS : 0 };
}

export async function loadRun(dir: string, budgets?: Budgets): Promise<RunData> {
  const manifest = await readJson(dir, RESULTS.run, RunManifest);
  if (!manifest) throw new ReportInputError(`${dir}: not a results directory (no run.json)`);
  const chaos = await readJson(dir, RESULTS.chaos, ChaosRecord);
  const audit = await readJson(dir, RESULTS.audit, Audit);
  const timelineFile = join(dir, RESULTS.timeline);
  const timeline = existsSync(timelineFile) ? await readTimeline(timelineFile) : [];
  // A run killed before its end may have left no summary: report what it did leave.
  const summary =
    (await readJson(dir, RESULTS.summary, Summary)) ?? deriveSummary(manifest, timeline, audit);
  // The loss is the audit's: without audit.json it is unknown, whatever summary.json says.
  if (!audit) Object.assign(summary, { lost: null, undelivered: null });

  const sources: { http: string; e2e: string } = { http: RESULTS.summary, e2e: RESULTS.summary };
  const spectra: RunData['spectra'] = { http: [], e2e: [] };
  let counted: K6Figures = { errorRate: null, droppedIterations: null };
  const sentPerS: number[] = [];
  const e2eFile = join(dir, HISTOGRAM_FILES.e2e);
  const files = k6SampleFiles(dir);
  // A run split over agents whose samples are not all here has unknown HTTP figures.
  const agents = agentCount(dir, manifest.agents?.count) ?? 0;
  const allAgents = agents === 0 || files.length === agents;
  const [read, e2e] = await Promise.all([
    allAgents ? readK6SamplesOf(files) : null,
    existsSync(e2eFile) ? readFile(e2eFile, 'utf8').then(readHlog) : null,
  ]);
  const samples = read?.merged;
  if (!allAgents) {
    summary.http = null;
    sources.http = `${files.length} of ${agents} agents' k6 samples: HTTP figures unknown`;
  }
  if (samples) {
    summary.http = percentilesMs(samples.http);
    summary.answers = answersOf(samples);
    spectra.http = spectrum(samples.http);
    const from =
      files.length > 1 ? `k6-samples.csv.gz of ${files.length} agents` : RESULTS.k6Samples;
    sources.http =
      `${from} (${samples.http.totalCount.toLocaleString('en-US')} accepted writes ` +
      `of ${samples.requests.toLocaleString('en-US')} requests)`;
    counted = { errorRate: samples.errorRate, droppedIterations: samples.droppedIterations };
    const t0 = Math.floor(Date.parse(manifest.startedAt) / 1000);
    for (const [second, n] of samples.sentPerSecond) {
      const t = second - t0;
      if (t >= 0 && t < 100_000) sentPerS[t] = (sentPerS[t] ?? 0) + n;
    }
  }
  if (manifest.load) loadOnly(manifest, summary, samples ?? null);
  if (e2e) {
    const p = percentilesMs(e2e);
    if (p) summary.e2e = p;
    spectra.e2e = spectrum(e2e);
    sources.e2e = `${HISTOGRAM_FILES.e2e} (${e2e.totalCount.toLocaleString('en-US')} events)`;
  }
  // Counted from the same samples as the percentiles; results older than the field get it here.
  summary.e2eSamples = {
    count: e2e ? e2e.totalCount : null,
    deliveredMinusDlq: summary.e2eSamples
      ? summary.e2eSamples.deliveredMinusDlq
      : summary.delivered === null || summary.dlq.total === null
        ? null
        : summary.delivered - summary.dlq.total,
  };
  const k6 = k6Figures(dir, counted);
  if (budgets) summary.budgets = evaluateBudgets(budgets, summary, k6, !manifest.load);
  return { dir, manifest, summary, k6, timeline, chaos, audit, spectra, sentPerS, sources };
}
