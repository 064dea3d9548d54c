/**
 * Loads one results directory for the report and the gate. Latency percentiles are
 * recomputed from all samples (k6-samples.csv.gz for HTTP, histograms/e2e.hlog for
 * end-to-end) and replace summary.json's; everything else comes from the files as written.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type Budgets, evaluateBudgets, type K6Figures } from './budgets.ts';
import { ReportInputError } from './errors.ts';
import { percentilesMs, readHlog, type SpectrumPoint, spectrum } from './hdr.ts';
import { deriveSummary } from './incomplete-summary.ts';
import { answersOf, readK6Samples } from './k6-samples.ts';
import {
  Audit,
  ChaosRecord,
  HISTOGRAM_FILES,
  RunManifest,
  Summary,
  type TimelinePoint,
} from './schema.ts';
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

const isRunDir = (dir: string) => existsSync(join(dir, 'run.json'));

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

/** error_rate and dropped_iterations: k6's own summary when there, else counted from samples. */
function k6Figures(k6Summary: unknown, counted: K6Figures): K6Figures {
  const metrics = (k6Summary as { metrics?: Record<string, { values?: Record<string, number> }> })
    ?.metrics;
  if (!metrics) return counted;
  const rate = metrics['hunt_error_rate']?.values?.['rate'];
  // k6 only lists dropped_iterations once one was dropped.
  const dropped = metrics['dropped_iterations']?.values?.['count'] ?? 0;
  return {
    errorRate: typeof rate === 'number' ? rate : counted.errorRate,
    droppedIterations: dropped,
  };
}

export async function loadRun(dir: string, budgets?: Budgets): Promise<RunData> {
  const manifest = await readJson(dir, 'run.json', RunManifest);
  if (!manifest) throw new ReportInputError(`${dir}: not a results directory (no run.json)`);
  const chaos = await readJson(dir, 'chaos.json', ChaosRecord);
  const audit = await readJson(dir, 'audit.json', Audit);
  const k6Summary = await readJson(dir, 'k6-summary.json', { parse: (v: unknown) => v });
  const timelineFile = join(dir, 'timeline.ndjson');
  const timeline = existsSync(timelineFile) ? await readTimeline(timelineFile) : [];
  // A run killed before its end may have left no summary: report what it did leave.
  const summary =
    (await readJson(dir, 'summary.json', Summary)) ?? deriveSummary(manifest, timeline, audit);

  const sources = { http: 'summary.json', e2e: 'summary.json' };
  const spectra: RunData['spectra'] = { http: [], e2e: [] };
  let counted: K6Figures = { errorRate: null, droppedIterations: null };
  const sentPerS: number[] = [];
  const samplesFile = join(dir, 'k6-samples.csv.gz');
  const e2eFile = join(dir, HISTOGRAM_FILES.e2e);
  const [samples, e2e] = await Promise.all([
    existsSync(samplesFile) ? readK6Samples(samplesFile) : null,
    existsSync(e2eFile) ? readFile(e2eFile, 'utf8').then(readHlog) : null,
  ]);
  if (samples) {
    summary.http = percentilesMs(samples.http);
    summary.answers = answersOf(samples);
    spectra.http = spectrum(samples.http);
    sources.http =
      `k6-samples.csv.gz (${samples.http.totalCount.toLocaleString('en-US')} accepted writes ` +
      `of ${samples.requests.toLocaleString('en-US')} requests)`;
    counted = { errorRate: samples.errorRate, droppedIterations: samples.droppedIterations };
    const t0 = Math.floor(Date.parse(manifest.startedAt) / 1000);
    for (const [second, n] of samples.sentPerSecond) {
      const t = second - t0;
      if (t >= 0 && t < 100_000) sentPerS[t] = (sentPerS[t] ?? 0) + n;
    }
  }
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
      : summary.delivered - summary.dlq.total,
  };
  const k6 = k6Figures(k6Summary, counted);
  if (budgets) summary.budgets = evaluateBudgets(budgets, summary, k6);
  return { dir, manifest, summary, k6, timeline, chaos, audit, spectra, sentPerS, sources };
}
