/** The page's tables, rendered on the server so they read without script. All input is escaped. */

import { dlqRate, formatDelta, formatValue } from '../analysis/figures.ts';
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

export function headline(model: ReportModel, names: string[], colors: string[]): string {
  const cards = model.runs.map((r, i) => {
    const s = r.summary;
    const failed = s.budgets.filter((b) => !b.pass).length;
    const why = r.problems.map((p) => `<div class="problem">${h(p)}</div>`).join('');
    const verdict =
      (r.verdict === 'no budgets'
        ? '<span class="badge none">no budgets</span>'
        : `<span class="badge ${r.verdict}">${r.verdict === 'pass' ? 'PASS' : 'FAIL'}</span> ${s.budgets.length - failed}/${s.budgets.length} budgets`) +
      why;
    const dlq = dlqRate(s);
    const samples = e2eSampleCheck(s);
    const gap =
      samples.gap === 0 ? '' : `<div class="fail">end-to-end samples: ${h(samples.text)}</div>`;
    return `<div class="card" style="border-top-color:${h(colors[i])}">
  <h3>${h(names[i])}</h3><div class="verdict">${verdict}</div>
  <div>${known(s.throughput.acceptedPerS, 'perS')} accepted · HTTP p99 of accepted writes ${formatValue(s.http?.p99 ?? null, 'ms')} ms · end-to-end p99 ${formatValue(s.e2e?.p99 ?? null, 'ms')} ms</div>
  <div>backlog max ${known(s.backlog.max, 'count')}, ${s.backlog.drained === false && s.backlog.drainS !== null ? `not drained after ${formatValue(s.backlog.drainS, 's')}` : `drained in ${known(s.backlog.drainS, 's')}`} · DLQ ${known(dlq, 'ratio')} · lost ${s.lost === null ? '<b>unknown (no audit)</b>' : formatValue(s.lost, 'count')}${s.complete ? '' : ' · <b>incomplete run</b>'}</div>${gap}
</div>`;
  });
  return `<section class="cards">${cards.join('')}</section>`;
}

export function runsTable(runs: RunData[], names: string[]): string {
  const rows: [string, (r: RunData) => string][] = [
    ['run', (r) => h(r.manifest.runId)],
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

export function verdictTable(model: ReportModel, names: string[]): string {
  const budgetNames = [...new Set(model.runs.flatMap((r) => r.summary.budgets.map((b) => b.name)))];
  if (budgetNames.length === 0)
    return '<p class="note">No budgets were given (see scenarios/budgets.yaml).</p>';
  const head = names.map((n) => `<th>${h(n)}</th>`).join('');
  const body = budgetNames.map((name) => {
    const cells = model.runs.map((r, i) => {
      const b = r.summary.budgets.find((x) => x.name === name);
      if (!b) return '<td>–</td>';
      const unit = name.endsWith('_ms') ? 'ms' : name.endsWith('_rate') ? 'ratio' : 'count';
      const text = `${formatValue(b.value, unit)} ≤ ${formatValue(b.limit, unit)}`;
      return `<td class="${b.pass ? 'pass' : 'fail'}" data-run="${i}" data-budget="${h(name)}">${b.pass ? '✓' : '✗'} ${text}</td>`;
    });
    return `<tr><th>${h(name)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="verdict"><thead><tr><th>budget</th>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

/** Side by side, Δ of each further run against the first, and against the baseline if given. */
export function compareTable(
  model: ReportModel,
  defs: MetricDef[],
  names: string[],
  baselines: (RunData | null)[],
): string {
  const runs = model.runs;
  const hasBaseline = baselines.some((b) => b !== null);
  const maxReg = model.maxRegressionPct / 100;
  const head = [
    ...names.map((n) => `<th>${h(n)}</th>`),
    ...names.slice(1).map((n) => `<th>Δ ${h(n)} vs ${h(names[0])}</th>`),
    ...(hasBaseline ? names.map((n) => `<th>Δ ${h(n)} vs baseline</th>`) : []),
  ].join('');
  let group = '';
  const body: string[] = [];
  for (const d of defs) {
    if (d.group !== group) {
      group = d.group;
      body.push(`<tr class="group"><th colspan="99">${h(group)}</th></tr>`);
    }
    const values = runs.map((r) => r.metrics[d.key] ?? null);
    const cells = values.map(
      (v, i) =>
        `<td class="num" data-run="${i}" data-key="${h(d.key)}" data-unit="${d.unit}">${formatValue(v, d.unit)}</td>`,
    );
    const deltas = values.slice(1).map((v) => {
      const rel = relDelta(v, values[0]!);
      const worse = isRegression(d, v, values[0]!, 0);
      return `<td class="num delta${worse ? ' worse' : rel !== null && rel !== 0 ? ' better' : ''}">${formatDelta(rel)}</td>`;
    });
    const vsBase = hasBaseline
      ? values.map((v, i) => {
          const base = baselines[i];
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

export function faultsTable(runs: RunData[], names: string[]): string {
  const rows = runs.flatMap((r, i) =>
    (r.chaos?.events ?? []).map((e) => {
      const at = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} s`);
      const planned = `${e.plannedAtS} s${e.plannedForS === null ? '' : ` for ${e.plannedForS} s`}`;
      return `<tr><td>F${e.step + 1}</td><td>${h(names[i])}</td><td>${h(e.label)}</td><td>${h(e.kind)} → ${h(e.target)}</td><td>${h(planned)}</td><td>${at(e.appliedAtS)} – ${at(e.removedAtS)}</td><td>${e.error ? `<span class="fail">${h(e.error)}</span>` : ''}</td></tr>`;
    }),
  );
  if (rows.length === 0) return '<p class="note">No faults were injected (no chaos.json).</p>';
  return `<table class="faults"><thead><tr><th></th><th>run</th><th>fault</th><th>kind → target</th><th>planned</th><th>applied – removed</th><th>error</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
