/**
 * index.html: one self-contained file (uPlot and its CSS inlined from node_modules, no
 * network), tables rendered here, charts drawn by client/charts.js from JSON embedded
 * with jsonForScript so nothing in a results directory can end the script tag.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { agentsSection } from './agents-section.ts';
import type { ChartSpec } from './charts.ts';
import type { Configuration } from './configurations.ts';
import { escapeHtml as h, jsonForScript } from './escape.ts';
import { fidelitySection, fidelityTitle, withFidelityBadges } from './fidelity-section.ts';
import { answerBlock, findingsList, matrixTable } from './html-matrix.ts';
import {
  compareTable,
  faultsTable,
  headline,
  processTable,
  runIdsTable,
  runsTable,
  verdictTable,
} from './html-sections.ts';
import type { MetricDef } from './metrics.ts';
import type { ReportModel } from './model.ts';
import type { RunData } from './read-run.ts';

const require = createRequire(import.meta.url);
/** A script body can't hold "</script": break any such sequence in inlined code. */
const inlineScript = (code: string) => code.replace(/<\/(script)/gi, '<\\/$1');
const asset = (path: string) => readFileSync(path, 'utf8');
/** CSP hash of an inline script: only the page's own scripts may run, whatever else got in. */
const cspHash = (code: string) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#fff}
main{max-width:1320px;margin:0 auto;padding:20px 28px 60px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #e3e6ec;padding-bottom:4px}
h3{margin:0 0 4px;font-size:16px}.sub{color:#5b6475;margin-bottom:14px}
.cards{display:flex;gap:16px;flex-wrap:wrap}.card{flex:1 1 360px;border:1px solid #dde1e8;border-top:5px solid #888;border-radius:6px;padding:10px 14px}
.badge{display:inline-block;padding:1px 8px;border-radius:4px;font-weight:700;color:#fff}.badge.pass{background:#2b8a3e}.badge.fail{background:#c92a2a;color:#fff}.badge.none{background:#868e96}
.verdict{margin:2px 0 6px}
.problem{color:#b00020;font-weight:600}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}th,td{padding:4px 10px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
thead th{background:#f5f6f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.group th{background:#fafbfc;color:#5b6475;font-weight:600;padding-top:8px}
td.pass{color:#2b8a3e}td.fail,.fail{color:#c92a2a;font-weight:600}
td.delta.worse{color:#b35c00}td.delta.better{color:#2b8a3e}td.delta.regression{color:#fff;background:#c92a2a;font-weight:700}
.k{color:#5b6475}.note{color:#5b6475}
section.answer{border:1px solid #dde1e8;border-left:5px solid #1f6fc5;border-radius:6px;padding:4px 16px 8px;margin:10px 0}section.answer h2{margin:6px 0;border:0}section.answer p{margin:3px 0}.swap{font-size:14px;font-weight:400;margin-left:12px;padding:1px 8px;border-radius:4px;background:#eef1f5}.swap.yes,.swap.no{background:#d3f9d8}\ntable{max-width:100%}.compare,.runs{display:block;overflow-x:auto}\nul.findings li{margin:4px 0}ul.findings li.caveat,ul.findings li.basis{color:#5b6475}ul.findings li.answer{font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:18px 22px}
.chart h3{font-size:14px;margin:0 0 4px}.chart .plot{min-height:240px}.chart .plot.empty{color:#868e96;padding:20px}
.uplot .u-legend{font-size:12px}.uplot .u-legend .u-marker{width:18px}
`;

export interface PageInput {
  model: ReportModel;
  defs: MetricDef[];
  runs: RunData[];
  baselines: (RunData | null)[];
  charts: ChartSpec[];
  configs: Configuration[];
  /** The pairs the findings compare, by configuration index: the only Δ columns. */
  pairs: [number, number][];
}

export function renderPage(input: PageInput): string {
  const { model, defs, runs, baselines, charts, configs, pairs } = input;
  const first = runs[0]!.manifest;
  const names = configs.map((c) => c.name);
  const reps = configs.map((c) => runs[c.rep]!);
  const repeats = [...new Set(configs.map((c) => c.runs.length))].join(' or ');
  const title = `${first.scenario} · ${first.plan}${fidelityTitle(runs)}: ${names.join(' vs ')}`;
  // Each run of a configuration by its repeat: `kafka · naive #2`.
  const runNames = runs.map(() => '');
  for (const c of configs)
    c.runs.forEach((i, k) => {
      runNames[i] = c.runs.length === 1 ? c.name : `${c.name} #${k + 1}`;
    });
  const uplotJs = asset(require.resolve('uplot/dist/uPlot.iife.min.js'));
  const uplotCss = asset(require.resolve('uplot/dist/uPlot.min.css'));
  const clientJs = inlineScript(
    asset(fileURLToPath(new URL('./client/charts.js', import.meta.url))),
  );
  const uplot = inlineScript(uplotJs);
  const regressions = model.regressions.length
    ? `<p class="fail">${model.regressions.length} regression(s) against the baseline beyond ${model.maxRegressionPct}%: ${model.regressions.map((r) => h(`${r.backend} ${r.label}`)).join(', ')}.</p>`
    : '';
  const chartDivs = charts
    .map(
      (c) =>
        `<div class="chart"><h3>${h(c.title)}</h3><div class="plot" id="chart-${h(c.id)}"></div></div>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${cspHash(uplot)} ${cspHash(clientJs)}; style-src 'unsafe-inline'; img-src data:">
<title>hunt report: ${h(title)}</title>
<style>${uplotCss}</style><style>${CSS}</style></head>
<body><main>
<h1>hunt report: ${h(title)}</h1>
${answerBlock(model.answer)}
${fidelitySection(reps, names)}
<div class="sub">${configs.length} configuration${configs.length === 1 ? '' : 's'}, ${repeats} run${repeats === '1' ? '' : 's'} each (${runs.length} results director${runs.length === 1 ? 'y' : 'ies'}); generated ${h(model.generatedAt)}. Cards, charts and the side-by-side table show each configuration's median run; the matrix and the findings use every counted run. Latency percentiles come from HDR histograms of all samples at ${model.hdrSignificantDigits} significant digits, never from averaged per-interval percentiles.</div>
${headline(model, configs)}
<h2>Findings</h2>
${findingsList(model.findings, model.notes)}
<h2>Matrix</h2>
<p class="note">Each symptom as its median across a configuration's counted repeats, with a 95% distribution-free interval of the median in brackets where the repeats allow one (6 or more; docs/method.md); "&gt; x (k/n)": most runs only bound the figure (a drain that did not finish, an alert that never fired). Lower is better for every symptom. "unknown": not measured in any run of the row, never 0.</p>
${matrixTable(model.matrix)}
<h2>Verdict</h2>
${verdictTable(model, configs)}
${regressions}
<h2>Side by side</h2>
<p class="note">Each configuration's median run; Δ only between the configurations the findings compare.</p>
${withFidelityBadges(compareTable(model, defs, configs, pairs, baselines), runs)}
<h2>Charts</h2>
<p class="note">One line per configuration, its median run. Shaded bands are fault windows from chaos.json as applied (F1, F2, … below), tinted by configuration. Dashed horizontal lines are thresholds. Per-second percentiles over time are for shape only; the table's percentiles come from all samples.</p>
<div class="charts">${chartDivs}</div>
<h3>CPU and memory per process</h3>
${processTable(runs, configs)}
<h2>Faults</h2>
${faultsTable(runs, configs)}
${agentsSection(
  runs.map((r) => r.summary),
  runNames,
)}
<h2>Runs</h2>
${runIdsTable(runs, configs, model)}
<details><summary>Each configuration's setup (its median run)</summary>
${runsTable(reps, names)}
</details>
</main>
<script type="application/json" id="report-data">${jsonForScript({ charts })}</script>
<script>${uplot}</script>
<script>${clientJs}</script>
</body></html>
`;
}
