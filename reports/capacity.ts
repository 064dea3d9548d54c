/**
 * The `hunt capacity` page: the answer first (one sentence per configuration), then how it
 * was searched, each configuration's knee, a chart of each symptom against the offered peak
 * rate (one line per configuration, the knee marked) and the steps, the one place run
 * directories appear. Inline SVG: the page needs no script.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { BOTTLENECK_TEXT, SYMPTOM_TEXT } from '../analysis/capacity.ts';
import type { CapacityConfiguration, CapacityRecord, StepFigures } from '../contract/capacity.ts';
import { escapeHtml as h } from './escape.ts';

const PALETTE = ['#1f6fc5', '#e0701b', '#2b9348', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d'];

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0}
main{max-width:1320px;margin:0 auto;padding:20px 28px 60px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #e3e6ec;padding-bottom:4px}
.sub,.note{color:#5b6475}
section.answer{border:1px solid #dde1e8;border-left:5px solid #1f6fc5;border-radius:6px;padding:4px 16px 8px;margin:10px 0}
section.answer p{margin:4px 0}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px;max-width:100%}th,td{padding:4px 10px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
thead th{background:#f5f6f8}td.num{text-align:right;font-variant-numeric:tabular-nums}td.broke{color:#c92a2a;font-weight:600}td.held{color:#2b8a3e}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:18px 22px}
.chart h3{font-size:14px;margin:0 0 4px}svg text{font-size:11px;fill:#5b6475}
.legend span{margin-right:14px;white-space:nowrap}.legend i{display:inline-block;width:18px;height:3px;vertical-align:middle;margin-right:4px}
`;

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const UNKNOWN = 'unknown';

interface Chart {
  title: string;
  value: (f: StepFigures) => number | null;
  format: (n: number) => string;
  /** The criterion's line; null: any value above 0 breaks. */
  limit: (r: CapacityRecord) => number | null;
}

const CHARTS: Chart[] = [
  {
    title: 'orders not fulfilled',
    value: (f) => f.notFulfilled,
    // Ticks of a small axis fall between whole orders.
    format: (n) => (n < 10 && !Number.isInteger(n) ? n.toFixed(1) : int(n)),
    limit: () => null,
  },
  {
    title: 'orders not accepted (% of orders)',
    value: (f) => (f.notAcceptedShare === null ? null : f.notAcceptedShare * 100),
    format: (n) => `${n.toFixed(n < 10 ? 1 : 0)}%`,
    limit: (r) => r.criterion.maxNotAcceptedShare * 100,
  },
  {
    title: 'accepted-write p99 (ms)',
    value: (f) => f.httpP99Ms,
    format: int,
    limit: (r) => r.criterion.httpP99BudgetMs,
  },
];

/** The median of the figures at each scale: the line goes through them, each run a dot. */
function series(c: CapacityConfiguration, value: Chart['value']) {
  const byScale = new Map<number, { x: number; ys: number[] }>();
  for (const s of c.steps) {
    const x = s.figures.offeredPeakRps;
    const y = value(s.figures);
    if (x === null || y === null) continue;
    const at = byScale.get(s.scale) ?? { x, ys: [] };
    at.ys.push(y);
    byScale.set(s.scale, at);
  }
  return [...byScale.values()]
    .map(({ x, ys }) => {
      const sorted = [...ys].sort((a, b) => a - b);
      return { x, ys, median: sorted[Math.floor((sorted.length - 1) / 2)]! };
    })
    .sort((a, b) => a.x - b.x);
}

const W = 560;
const H = 240;
const PAD = { l: 56, r: 28, t: 10, b: 34 };

export function chartSvg(r: CapacityRecord, chart: Chart): string {
  const lines = r.configurations.map((c, i) => ({
    c,
    color: PALETTE[i % PALETTE.length]!,
    pts: series(c, chart.value),
  }));
  const xs = lines.flatMap((l) => l.pts.map((p) => p.x));
  const limit = chart.limit(r);
  const ys = [
    ...lines.flatMap((l) => l.pts.flatMap((p) => p.ys)),
    ...(limit === null ? [] : [limit]),
  ];
  if (xs.length === 0) return `<p class="note">${h(chart.title)}: no run measured it</p>`;
  const xMax = Math.max(...xs) * 1.05 || 1;
  const yMax = Math.max(...ys, 1) * 1.08;
  const X = (x: number) => PAD.l + (x / xMax) * (W - PAD.l - PAD.r);
  const Y = (y: number) => H - PAD.b - (y / yMax) * (H - PAD.t - PAD.b);
  const parts: string[] = [];
  for (const k of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${Y(k * yMax)}" y2="${Y(k * yMax)}" stroke="#eceef2"/>`,
      `<text x="${PAD.l - 4}" y="${Y(k * yMax) + 4}" text-anchor="end">${h(chart.format(k * yMax))}</text>`,
      `<text x="${X(k * xMax)}" y="${H - PAD.b + 14}" text-anchor="middle">${int(k * xMax)}</text>`,
    );
  }
  parts.push(
    `<text x="${(W + PAD.l) / 2}" y="${H - 4}" text-anchor="middle">offered peak rate (requests/s)</text>`,
  );
  if (limit !== null)
    parts.push(
      `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${Y(limit)}" y2="${Y(limit)}" stroke="#c92a2a" stroke-dasharray="2 3"/>`,
      `<text x="${W - PAD.r}" y="${Y(limit) - 3}" text-anchor="end">criterion</text>`,
    );
  for (const { c, color, pts } of lines) {
    if (c.knee.heldPeakRps !== null)
      parts.push(
        `<line x1="${X(c.knee.heldPeakRps)}" x2="${X(c.knee.heldPeakRps)}" y1="${PAD.t}" y2="${H - PAD.b}" stroke="${color}" stroke-dasharray="6 4"><title>${h(c.name)}: knee, held up to ${int(c.knee.heldPeakRps)}/s</title></line>`,
      );
    if (pts.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${X(p.x)},${Y(p.median)}`).join(' ')}"/>`,
      );
    for (const p of pts)
      for (const y of p.ys)
        parts.push(
          `<circle cx="${X(p.x)}" cy="${Y(y)}" r="3" fill="${color}"><title>${h(c.name)}: ${int(p.x)}/s → ${h(chart.format(y))}</title></circle>`,
        );
  }
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${h(chart.title)}">${parts.join('')}</svg>`;
}

function legend(r: CapacityRecord): string {
  return `<p class="legend">${r.configurations
    .map(
      (c, i) =>
        `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${h(c.name)}</span>`,
    )
    .join('')} <span class="note">dashed vertical: the knee (largest rate that held)</span></p>`;
}

const fig = (n: number | null, f: (n: number) => string = int) => (n === null ? UNKNOWN : f(n));

function kneeTable(r: CapacityRecord): string {
  const rows = r.configurations.map((c) => {
    const k = c.knee;
    return `<tr><td>${h(c.name)}</td><td class="num">${k.heldScale === null ? 'none' : `${fig(k.heldPeakRps)}/s (×${k.heldScale}, ${k.heldRuns} runs)`}</td><td class="num">${k.brokenScale === null ? 'none tried' : `${fig(k.brokenPeakRps)}/s (×${k.brokenScale}, broke in ${k.brokenOf} of ${k.brokenRuns})`}</td><td>${k.firstSymptom ? h(SYMPTOM_TEXT[k.firstSymptom]) : ''}</td><td>${k.bottleneck ? `${h(BOTTLENECK_TEXT[k.bottleneck.kind])}<br><span class="note">${h(k.bottleneck.evidence.join('; '))}</span>` : ''}</td></tr>`;
  });
  return `<table><thead><tr><th>configuration</th><th>held up to</th><th>first broken at</th><th>first symptom</th><th>bound by</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function stepsTable(r: CapacityRecord, base: string): string {
  const rows = r.configurations.flatMap((c) =>
    c.steps.map((s) => {
      const f = s.figures;
      const throttled =
        f.brokerThrottled === null && f.quotaThrottled === null
          ? UNKNOWN
          : int((f.brokerThrottled ?? 0) + (f.quotaThrottled ?? 0));
      return `<tr><td>${h(c.name)}</td><td>${s.phase}</td><td class="num">${s.scale}</td><td class="num">${fig(f.offeredPeakRps)}</td><td class="${s.held ? 'held' : 'broke'}">${s.held ? 'held' : `broke: ${h(s.broken.join(', '))}`}</td><td class="num">${fig(f.notFulfilled)}</td><td class="num">${fig(f.notAcceptedShare, (n) => `${(n * 100).toFixed(1)}%`)}</td><td class="num">${fig(f.httpP99Ms)}</td><td class="num">${fig(f.k6Dropped)}</td><td class="num">${fig(f.engineSaturatedShare, (n) => `${Math.round(n * 100)}%`)}</td><td class="num">${fig(f.producerQueuePeak)}</td><td class="num">${throttled}</td><td><code>${h(relative(base, s.dir) || basename(s.dir))}</code></td></tr>`;
    }),
  );
  return `<table><thead><tr><th>configuration</th><th>phase</th><th>scale</th><th>offered peak /s</th><th>verdict</th><th>not fulfilled</th><th>not accepted</th><th>p99 ms</th><th>k6 dropped</th><th>engine CPU-saturated</th><th>producer queue peak</th><th>throttled records</th><th>run</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function capacityPage(r: CapacityRecord, base: string): string {
  const s = r.search;
  const answer = r.configurations.map((c) => `<p>${h(c.knee.sentence)}.</p>`).join('');
  // What each backend was held to, once per backend: the knee reads against it.
  const stated = [
    ...new Map(
      r.configurations.flatMap((c) => (c.statedCapacity ? [[c.backend, c.statedCapacity]] : [])),
    ).values(),
  ];
  const machine = r.configurations.filter((c) => c.knee.bottleneck?.machine);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Capacity: ${h(r.scenario)} · ${h(r.fidelity)}</title><style>${CSS}</style></head><body><main>
<h1>Breaking point: ${h(r.scenario)} (${h(r.profile)}), plan ${h(r.plan)}, fidelity ${h(r.fidelity)}</h1>
<p class="sub">${r.configurations.length} configurations; ${r.configurations.reduce((n, c) => n + c.steps.length, 0)} runs${r.complete ? '' : '; <strong>the search was stopped before it ended: the knees below are partial</strong>'}.</p>
<section class="answer"><h2>Answer</h2>${answer || '<p>No configuration was searched.</p>'}${
    stated.length > 0
      ? `<p class="note">Each backend was held to a stated capacity: ${stated.map(h).join('; ')}.</p>`
      : ''
  }${
    machine.length > 0
      ? `<p class="note">${h(machine.map((c) => c.name).join(', '))}: the knee was set by this machine (its load generator or the engine's CPU), so it says nothing of the backend's capacity; more load generators (<code>--agents</code>) or another machine would find the backend's.</p>`
      : ''
  }</section>
<h2>How it was searched</h2>
<p>Each configuration's burst was scaled (every rate of the scenario multiplied) from scale ${s.startScale}, multiplied by ${s.factor} a step (up to ${s.maxSteps} steps; down at most ${s.maxDown} from a start that broke), until a run broke the criterion; then bisected (geometric mean) until the first broken scale was at most ×${s.resolution} the last held one; then each of the two was run ${s.repeats === 1 ? 'once (no repeat)' : `${s.repeats} times in all`}. A scale <em>held</em> only when every run at it held; a broken scale shows in how many of its runs it broke. A run broke when any order went unfulfilled, more than ${(r.criterion.maxNotAcceptedShare * 100).toFixed(1)}% of orders were not accepted, or the accepted-write p99 exceeded ${int(r.criterion.httpP99BudgetMs)} ms (scenarios/budgets.yaml), or when a figure of these could not be measured (it never passes). The scenario offers ${r.peakRpsPerScale === null ? 'an unknown peak rate' : `a peak of ${int(r.peakRpsPerScale)} requests/s`} per unit of scale, ${r.poisonRate === null ? "with the scenario's own share of poison events" : r.poisonRate === 0 ? 'with no poison events (a poison event is a fault, not load)' : `with ${(r.poisonRate * 100).toFixed(2)}% of arrivals sent as poison`}. What bound a configuration is read from its broken runs at the knee: this machine first (k6 CPU-saturated or dropping arrivals while the system answered within budget, the engine at ≥ 90% of a core), then broker throttling (the producer's count or the quota layer's), the producer queue, the downstream (failed calls, its breaker open), a stalled consumer. Figures a run did not record are unknown, never 0. The repeats are few: a knee is a bracket (held, broke) on this machine, not a confidence interval.</p>
<h2>Knees</h2>${kneeTable(r)}
<h2>Symptoms against the offered peak rate</h2>${legend(r)}
<div class="charts">${CHARTS.map((c) => `<div class="chart"><h3>${h(c.title)}</h3>${chartSvg(r, c)}</div>`).join('')}</div>
<h2>Steps</h2>${stepsTable(r, base)}
</main></body></html>
`;
}

/** capacity.html beside capacity.json; its path. */
export function writeCapacityReport(r: CapacityRecord, out: string): string {
  const file = join(out, 'capacity.html');
  writeFileSync(file, capacityPage(r, dirname(file)));
  return file;
}
