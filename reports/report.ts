/**
 * `hunt report`: reads results directories (never re-runs anything) and writes index.html,
 * summary.json (the report's model) and junit.xml into the output directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../common/user-error.ts';
import { RESULTS } from '../contract/layout.ts';
import { type Budgets, readBudgets } from './budgets.ts';
import { buildCharts } from './charts.ts';
import { comparedPairs, configurationsOf } from './configurations.ts';
import { gateJUnit, gateRows } from './gate.ts';
import { renderPage } from './html.ts';
import { buildModel, matchBaseline, type RecordedComparison, type ReportModel } from './model.ts';
import { expandResults, loadRun, type RunData } from './read-run.ts';

export interface ReportOptions {
  results: string[];
  out: string;
  baseline?: string[];
  /** Budgets file; defaults to scenarios/budgets.yaml when it exists. */
  budgets?: string;
  maxRegressionPct?: number;
  now?: Date;
  /**
   * compare.json of `hunt compare`: its matrix, findings and answer are the page's, as
   * written. Absent: found beside a single results path, else computed from the runs.
   */
  comparison?: string;
}

export interface ReportOutput {
  model: ReportModel;
  files: { html: string; summary: string; junit: string };
}

const DEFAULT_BUDGETS = 'scenarios/budgets.yaml';
const COMPARE_FILE = 'compare.json';
const SWAP = new Set(['yes', 'no', 'inconclusive']);

/** compare.json's answer, findings, notes and matrix; bad input names the file and field. */
export function readComparison(file: string): RecordedComparison {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new UserError(`${file}: not readable JSON (${(err as Error).message})`);
  }
  const bad = (field: string, what: string) => new UserError(`${file}: ${field} ${what}`);
  const answer = json.answer as Record<string, unknown> | undefined;
  if (!answer || !SWAP.has(String(answer.swapNeeded)))
    throw bad('answer.swapNeeded', 'must be yes, no or inconclusive');
  if (!Array.isArray(answer.lines)) throw bad('answer.lines', 'must be a list of lines');
  for (const field of ['findings', 'notes', 'matrix'])
    if (!Array.isArray(json[field])) throw bad(field, 'must be a list');
  return json as unknown as RecordedComparison;
}

export async function resolveBudgets(file: string | undefined): Promise<Budgets | undefined> {
  if (file) return readBudgets(file);
  return existsSync(DEFAULT_BUDGETS) ? readBudgets(DEFAULT_BUDGETS) : undefined;
}

/** Loads runs one after another: each streams its samples, and memory stays one histogram deep. */
async function loadAll(paths: string[], budgets: Budgets | undefined): Promise<RunData[]> {
  const runs: RunData[] = [];
  for (const dir of await expandResults(paths)) runs.push(await loadRun(dir, budgets));
  return runs;
}

export async function writeReport(opts: ReportOptions): Promise<ReportOutput> {
  const budgets = await resolveBudgets(opts.budgets);
  const maxRegressionPct = opts.maxRegressionPct ?? 10;
  const runs = await loadAll(opts.results, budgets);
  const baseline = opts.baseline?.length ? await loadAll(opts.baseline, budgets) : [];
  const single = opts.results.length === 1 ? join(opts.results[0]!, COMPARE_FILE) : null;
  const file = opts.comparison ?? (single && existsSync(single) ? single : undefined);
  const recorded = file ? readComparison(file) : undefined;
  const { model, defs } = buildModel(runs, baseline, maxRegressionPct, opts.now, recorded);
  const configs = configurationsOf(model.matrix, runs);
  const html = renderPage({
    model,
    defs,
    runs,
    baselines: runs.map((r) => matchBaseline(r, baseline)),
    charts: buildCharts(runs, configs),
    configs,
    pairs: comparedPairs(configs, model.findings),
  });
  // JUnit: the budgets each run carries (evaluated above when a budgets file was found).
  const junit = gateJUnit(budgets ? gateRows(runs, budgets, baseline, maxRegressionPct) : []);
  const out = resolve(opts.out);
  await mkdir(out, { recursive: true });
  const files = {
    html: join(out, 'index.html'),
    summary: join(out, RESULTS.summary),
    junit: join(out, 'junit.xml'),
  };
  await Promise.all([
    writeFile(files.html, html),
    writeFile(files.summary, `${JSON.stringify(model, null, 2)}\n`),
    writeFile(files.junit, junit),
  ]);
  return { model, files };
}
