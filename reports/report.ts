/**
 * `hunt report`: reads results directories (never re-runs anything) and writes index.html,
 * summary.json (the report's model) and junit.xml into the output directory.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Budgets, readBudgets } from './budgets.ts';
import { buildCharts } from './charts.ts';
import { comparedPairs, configurationsOf } from './configurations.ts';
import { gateJUnit, gateRows } from './gate.ts';
import { renderPage } from './html.ts';
import { buildModel, matchBaseline, type ReportModel } from './model.ts';
import { expandResults, loadRun, type RunData } from './read-run.ts';

export interface ReportOptions {
  results: string[];
  out: string;
  baseline?: string[];
  /** Budgets file; defaults to scenarios/budgets.yaml when it exists. */
  budgets?: string;
  maxRegressionPct?: number;
  now?: Date;
}

export interface ReportOutput {
  model: ReportModel;
  files: { html: string; summary: string; junit: string };
}

const DEFAULT_BUDGETS = 'scenarios/budgets.yaml';

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
  const { model, defs } = buildModel(runs, baseline, maxRegressionPct, opts.now);
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
    summary: join(out, 'summary.json'),
    junit: join(out, 'junit.xml'),
  };
  await Promise.all([
    writeFile(files.html, html),
    writeFile(files.summary, `${JSON.stringify(model, null, 2)}\n`),
    writeFile(files.junit, junit),
  ]);
  return { model, files };
}
