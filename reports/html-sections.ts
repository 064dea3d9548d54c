/** The page's tables, rendered on the server so they read without script. All input is escaped. */

import { dlqRate, formatDelta, formatValue, sig3 } from '../analysis/figures.ts';
import type { Configuration } from './configurations.ts';
import { e2eSampleCheck } from './e2e-samples.ts';
import { escapeHtml as h } from './escape.ts';
import { isRegression, type MetricDef, relDelta } from './metrics.ts';
import type { ReportModel } from './model.ts';
import type { RunData } from './read-run.ts';
import { describeTarget } from './target-line.ts';

const kv = (record: Record<string, unknown>) =>
  Object.entries(record)
    .map(([k, v]) => `<div><span class="k">${h(k)}</span> ${h(v)}</div>`)
    .join('');

/** A figure the card states, or a bold "unknown" where it was not measured (never a 0 or a dash). */
const known = (v: number | null, unit: Parameters<typeof formatValue>[1]) =>
  v === null ? '<b>unknown</b>' : formatValue(v, unit);

/** One card per configuration, from its median run, with how its repeats fared. */
export function headline(model: ReportModel, configs: Configuration[]): string {
  const cards = configs.map((c) => {
    const r = model.runs[c.rep]!;
    const s = r.summary;
    const mine = c.runs.map((i) => model.runs[i]!);
    const passed = mine.filter((x) => x.verdict === 'pass').length;
    const incomplete = mine.filter((x) => !x.summary.complete).length;
    const why = [...new Set(mine.flatMap((x) => x.problems))]
      .map((p) => `<div class="problem">${h(p)}</div>`)
      .join('');
    const verdict =
      (r.verdict === 'no budgets'
        ? '<span class="badge none">no budgets</span>'
        : `<span class="badge ${passed === mine.length ? 'pass' : 'fail'}">${passed === mine.length ? 'PASS' : 'FAIL'}</span> budgets met in ${passed} of ${mine.length} run${mine.length === 1 ? '' : 's'}`) +
      why;
    const dlq = dlqRate(s);
    const samples = e2eSampleCheck(s);
    const gap =
      samples.gap === 0 ? '' : `<div class="fail">end-to-end samples: ${h(samples.text)}</div>`;
    const of =
      mine.length === 1
        ? ''
        : `<div class="note">median run of ${mine.length}${incomplete ? `; ${incomplete} did not complete` : ''}</div>`;
    return `<div class="card" style="border-top-color:${h(c.color)}">
  <h3>${h(c.name)}</h3><div class="verdict">${verdict}</div>${of}
  <div>${known(s.throughput.acceptedPerS, 'perS')} accepted · HTTP p99 of accepted writes ${formatValue(s.http?.p99 ?? null, 'ms')} ms · end-to-end p99 ${formatValue(s.e2e?.p99 ?? null, 'ms')} ms</div>
  <div>backlog max ${known(s.backlog.max, 'count')}, ${s.backlog.drained === false && s.backlog.drainS !== null ? `not drained after ${formatValue(s.backlog.drainS, 's')}` : `drained in ${known(s.backlog.drainS, 's')}`} · DLQ ${known(dlq, 'ratio')} · lost ${s.lost === null ? '<b>unknown (no audit)</b>' : formatValue(s.lost, 'count')}${s.complete ? '' : ' · <b>incomplete run</b>'}</div>${gap}
</div>`;
  });
  return `<section class="cards">${cards.join('')}</section>`;
}

/** The runs appendix: the one place run ids appear, one line per run. */
export function runIdsTable(runs: RunData[], configs: Configuration[], model: ReportModel): string {
  const rows = configs.flatMap((c) =>
    c.runs.map((i, k) => {
      const r = runs[i]!;
      const v = model.runs[i]!.verdict;
      return `<tr><td>${h(c.name)}</td><td class="num">${k + 1}${i === c.rep ? ' (median)' : ''}</td><td><code>${h(r.manifest.runId)}</code></td><td class="num">${h(r.manifest.seed)}</td><td>${h(r.manifest.startedAt)}</td><td>${r.summary.complete ? 'yes' : '<b>no</b>'}</td><td>${h(v)}</td></tr>`;
    }),
  );
  return `<table class="run-ids"><thead><tr><th>configuration</th><th>repeat</th><th>run</th><th>seed</th><th>started</th><th>complete</th><th>budgets</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

export function runsTable(runs: RunData[], names: string[]): string {
  const rows: [string, (r: RunData) => string][] = [
    ['scenario', (r) => h(r.manifest.scenario)],
    ['plan', (r) => h(r.manifest.plan)],
    ['seed', (r) => h(r.manifest.seed)],
    [
      'profile',
      (r) =>
        h(r.manifest.profile ?? '–') + (r.manifest.scale ? ` (scale ${h(r.manifest.scale)})` : ''),
    ],
    [
      'started',
      (r) => `${h(r.manifest.startedAt)}${r.manifest.complete ? '' : ' <b>(incomplete)</b>'}`,
    ],
    [
      'machine',
      (r) => {
        const m = r.manifest.machine;
        return h(
          `${m.platform}, ${m.cores} cores, ${Math.round(m.memoryMiB / 1024)} GiB, load ${m.loadAvg1m ?? 'not measured'}`,
        );
      },
    ],
    [
      'broker',
      (r) =>
        r.manifest.target
          ? h(describeTarget(r.manifest.target))
          : `local stack${Object.keys(r.manifest.emulation).length ? ' (see emulation)' : ''}`,
    ],
    ['emulation', (r) => kv(r.manifest.emulation) || 'none'],
    [
      'load',
      (r) => {
        const l = r.manifest.load;
        if (!l) return 'k6, run by the harness beside the engine it watched';
        const missing =
          l.missingAgents.length > 0
            ? `, <b>agents ${h(l.missingAgents.join(', '))} missing</b>`
            : '';
        return `${h(l.kind)}, ${h(l.agents)} pods in ${h(l.namespace)}${missing}; engine ${h(l.engine)}: its figures (backlog, delivery, breakers, the audit) <b>not measured</b>`;
      },
    ],
    ['versions', (r) => kv(r.manifest.versions)],
    ['git commit', (r) => h(r.manifest.gitCommit?.slice(0, 12) ?? '–')],
    ['latency sources', (r) => `HTTP: ${h(r.sources.http)}<br>end-to-end: ${h(r.sources.e2e)}`],
    [
      'end-to-end samples',
      (r) => {
        const c = e2eSampleCheck(r.summary);
        return c.gap === 0 ? h(c.text) : `<span class="fail">${h(c.text)}</span>`;
      },
    ],
  ];
  const head = names.map((n) => `<th>${h(n)}</th>`).join('');
  const body = rows
    .map(
      ([label, f]) =>
        `<tr><th>${h(label)}</th>${runs.map((r) => `<td>${f(r)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table class="runs"><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Budgets by configuration: met in how many of its runs (each run's own in its summary.json). */
export function verdictTable(model: ReportModel, configs: Configuration[]): string {
  const budgetNames = [...new Set(model.runs.flatMap((r) => r.summary.budgets.map((b) => b.name)))];
  if (budgetNames.length === 0)
    return '<p class="note">No budgets were given (see scenarios/budgets.yaml).</p>';
  const head = configs.map((c) => `<th>${h(c.name)}</th>`).join('');
  const body = budgetNames.map((name) => {
    const cells = configs.map((c) => {
      const judged = c.runs.flatMap((i) => {
        const b = model.runs[i]!.summary.budgets.find((x) => x.name === name);
        return b ? [{ i, b }] : [];
      });
      if (judged.length === 0) return '<td>–</td>';
      const met = judged.filter((x) => x.b.pass).length;
      const unit = name.endsWith('_ms') ? 'ms' : name.endsWith('_rate') ? 'ratio' : 'count';
      const rep = judged.find((x) => x.i === c.rep)?.b ?? judged[0]!.b;
      const text =
        judged.length === 1
          ? `${formatValue(rep.value, unit)} ≤ ${formatValue(rep.limit, unit)}`
          : `met in ${met} of ${judged.length} (limit ${formatValue(rep.limit, unit)})`;
      const pass = met === judged.length;
      return `<td class="${pass ? 'pass' : 'fail'}" data-runs="${judged.map((x) => x.i).join(' ')}" data-budget="${h(name)}">${pass ? '✓' : '✗'} ${text}</td>`;
    });
    return `<tr><th>${h(name)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="verdict"><thead><tr><th>budget</th>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

/**
 * Side by side, each configuration's median run; Δ only between the pairs the findings
 * compare (a design on one backend, a backend on one design), and against the baseline.
 */
export function compareTable(
  model: ReportModel,
  defs: MetricDef[],
  configs: Configuration[],
  pairs: [number, number][],
  baselines: (RunData | null)[],
): string {
  const runs = configs.map((c) => c.rep);
  const hasBaseline = runs.some((i) => baselines[i] !== null && baselines[i] !== undefined);
  const maxReg = model.maxRegressionPct / 100;
  const name = (k: number) => h(configs[k]!.name);
  const head = [
    ...configs.map((c) => `<th>${h(c.name)}</th>`),
    ...pairs.map(([a, b]) => `<th>Δ ${name(b)} vs ${name(a)}</th>`),
    ...(hasBaseline ? configs.map((c) => `<th>Δ ${h(c.name)} vs baseline</th>`) : []),
  ].join('');
  let group = '';
  const body: string[] = [];
  for (const d of defs) {
    if (d.group !== group) {
      group = d.group;
      body.push(`<tr class="group"><th colspan="99">${h(group)}</th></tr>`);
    }
    const values = runs.map((i) => model.runs[i]!.metrics[d.key] ?? null);
    const cells = values.map(
      (v, k) =>
        `<td class="num" data-run="${runs[k]}" data-key="${h(d.key)}" data-unit="${d.unit}">${formatValue(v, d.unit)}</td>`,
    );
    const deltas = pairs.map(([a, b]) => {
      const rel = relDelta(values[b]!, values[a]!);
      const worse = isRegression(d, values[b]!, values[a]!, 0);
      return `<td class="num delta${worse ? ' worse' : rel !== null && rel !== 0 ? ' better' : ''}">${formatDelta(rel)}</td>`;
    });
    const vsBase = hasBaseline
      ? values.map((v, k) => {
          const base = baselines[runs[k]!];
          const ref = base ? d.get(base) : null;
          const reg = base !== null && base !== undefined && isRegression(d, v, ref, maxReg);
          const text = base ? formatDelta(relDelta(v, ref)) : '–';
          return `<td class="num delta${reg ? ' regression' : ''}">${text}${reg ? ' ▲ regression' : ''}</td>`;
        })
      : [];
    body.push(`<tr><th>${h(d.label)}</th>${[...cells, ...deltas, ...vsBase].join('')}</tr>`);
  }
  return `<table class="compare"><thead><tr><th>metric</th>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

/** Per process, each configuration's median over its runs of mean CPU and peak RSS. */
export function processTable(runs: RunData[], configs: Configuration[]): string {
  const procs = [
    ...new Set(runs.flatMap((r) => r.timeline.flatMap((p) => Object.keys(p.processes)))),
  ];
  if (procs.length === 0) return '<p class="note">No per-process CPU or memory was sampled.</p>';
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? null : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
  };
  const figures = (r: RunData, proc: string) => {
    const cpu = r.timeline.flatMap((p) => p.processes[proc]?.cpuPct ?? []);
    const rss = r.timeline.flatMap((p) => p.processes[proc]?.rssMiB ?? []);
    return {
      cpu: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : null,
      rss: rss.length ? Math.max(...rss) : null,
    };
  };
  const head = configs.map((c) => `<th>${h(c.name)}</th>`).join('');
  const body = procs.map((proc) => {
    const cells = configs.map((c) => {
      const f = c.runs.map((i) => figures(runs[i]!, proc));
      const cpu = med(f.flatMap((x) => (x.cpu === null ? [] : [x.cpu])));
      const rss = med(f.flatMap((x) => (x.rss === null ? [] : [x.rss])));
      return `<td class="num">${cpu === null ? '–' : `${sig3(cpu)}%`} · ${rss === null ? '–' : `${sig3(rss)} MiB`}</td>`;
    });
    return `<tr><th>${h(proc)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="processes"><thead><tr><th>process: mean CPU (% of one core) · peak RSS</th>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

/** Each configuration's median run's faults as applied (every run's in its chaos.json). */
export function faultsTable(runs: RunData[], configs: Configuration[]): string {
  const names = configs.map((c) => c.name);
  const rows = configs
    .map((c) => runs[c.rep]!)
    .flatMap((r, i) =>
      (r.chaos?.events ?? []).map((e) => {
        const at = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} s`);
        const planned = `${e.plannedAtS} s${e.plannedForS === null ? '' : ` for ${e.plannedForS} s`}`;
        return `<tr><td>F${e.step + 1}</td><td>${h(names[i])}</td><td>${h(e.label)}</td><td>${h(e.kind)} → ${h(e.target)}</td><td>${h(planned)}</td><td>${at(e.appliedAtS)} – ${at(e.removedAtS)}</td><td>${e.error ? `<span class="fail">${h(e.error)}</span>` : ''}</td></tr>`;
      }),
    );
  if (rows.length === 0) return '<p class="note">No faults were injected (no chaos.json).</p>';
  return `<table class="faults"><thead><tr><th></th><th>configuration</th><th>fault</th><th>kind → target</th><th>planned</th><th>applied – removed</th><th>error</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
