/**
 * The report's fidelity section, shown before any result: per dimension and run, whether it
 * was real, emulated (and how well founded) or absent; which figures rest on a weak one; and
 * the self-check of a broker's service model against its profile.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIDELITY_CHECK_FILE, FidelityCheck, MAX_GAP } from '../contract/fidelity-check.ts';
import { DIMENSIONS, type Dimension } from '../contract/fidelity-schema.ts';
import { descriptionOf } from '../drivers/descriptions.ts';
import { escapeHtml as h } from './escape.ts';
import { DIMENSION_LABELS, FIGURES, figureWeakness, restsOnWeak } from './fidelity-figures.ts';
import type { RunData } from './read-run.ts';
import { describeTarget } from './target-line.ts';

const CSS = `<style>
.fid td.absent,.fid td.unknown{color:#c92a2a}.fid td.assumed{color:#b35c00}.fid td.real,.fid td.published,.fid td.measured{color:#2b8a3e}
.fid .why{color:#5b6475;font-size:12px}
.fid-badge{display:inline-block;margin-left:6px;padding:0 5px;border-radius:3px;background:#fff3bf;color:#7c5a00;font-size:11px;font-weight:600;cursor:help}
</style>`;

/** ` · fidelity aws-provisioned` for the page's title; every profile when runs differ. */
export function fidelityTitle(runs: RunData[]): string {
  const names = [...new Set(runs.map((r) => r.manifest.fidelity?.profile.name ?? 'not recorded'))];
  return ` · fidelity ${names.join(' / ')}`;
}

function levelCell(d: Dimension | undefined): string {
  if (!d)
    return '<td class="absent">not recorded<div class="why">run.json has no fidelity record</div></td>';
  const label = d.level === 'emulated' ? `emulated (${d.status})` : d.level;
  const cls = d.level === 'emulated' ? d.status : d.level.replace('/', '');
  return `<td class="${h(cls)}">${h(label)}<div class="why">${h(d.note)}</div></td>`;
}

function profileLine(r: RunData): string {
  const f = r.manifest.fidelity;
  if (!f)
    return '<li>not recorded: a run from before fidelity profiles; every dimension counts as absent</li>';
  // A profile describes stand-ins: against the real service none was used.
  if (r.manifest.target)
    return `<li><b>${h(f.profile.name)}</b> not applied: the run used the ${h(describeTarget(r.manifest.target))}</li>`;
  return `<li><b>${h(f.profile.name)}</b> v${f.profile.version} (${h(f.file)}): ${h(f.profile.description)}</li>`;
}

function dimensionTable(runs: RunData[], names: string[]): string {
  const head = names.map((n) => `<th>${h(n)}</th>`).join('');
  const rows = DIMENSIONS.map(
    (d) =>
      `<tr><th>${h(DIMENSION_LABELS[d])}</th>${runs.map((r) => levelCell(r.manifest.fidelity?.dimensions[d])).join('')}</tr>`,
  );
  return `<table class="fid"><thead><tr><th>dimension</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function figureTable(runs: RunData[], names: string[]): string {
  const rows = FIGURES.map((f) => {
    const cells = runs.map((r) => {
      const why = restsOnWeak(f, r.manifest.fidelity);
      return why
        ? `<td class="assumed">not decision-grade<div class="why">${h(why)}</div></td>`
        : '<td class="real">sound</td>';
    });
    const on = f.restsOn.length
      ? f.restsOn.map((d) => DIMENSION_LABELS[d]).join(', ')
      : 'none of these';
    return `<tr><th>${h(f.label)}</th><td>${h(on)}</td>${cells.join('')}</tr>`;
  });
  const head = names.map((n) => `<th>${h(n)}</th>`).join('');
  return `<table class="fid"><thead><tr><th>figure</th><th>rests on</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function readCheck(dir: string): FidelityCheck | null {
  const file = join(dir, FIDELITY_CHECK_FILE);
  if (!existsSync(file)) return null;
  const r = FidelityCheck.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return r.success ? r.data : null;
}

const selfChecks = (backend: string): boolean => descriptionOf(backend)?.selfChecks === true;

function checkTable(runs: RunData[], names: string[]): string {
  const parts = runs.flatMap((r, i) => {
    // Only a broker whose stand-in has a service model checks itself.
    if (!selfChecks(r.manifest.backend)) return [];
    const c = readCheck(r.dir);
    if (!c)
      return [
        `<p><b>${h(names[i])}</b>: no self-check (${FIDELITY_CHECK_FILE} missing): the model's delivery is unknown.</p>`,
      ];
    if (c.rows.length === 0)
      return [
        `<p><b>${h(names[i])}</b>: the profile sets no latency or propagation target; nothing to check.</p>`,
      ];
    const rows = c.rows.map((x) => {
      const pct = x.gap === null ? '–' : `${x.gap >= 0 ? '+' : ''}${Math.round(x.gap * 100)}%`;
      const gap = x.judged || x.measuredMs === null ? pct : `${pct} (too few samples to judge)`;
      const measured = x.measuredMs === null ? 'not measured in this run' : `${x.measuredMs} ms`;
      return `<tr><th>${h(x.what)}</th><td class="num">${x.targetMs} ms</td><td class="num">${h(measured)}</td><td class="num">${x.samples}</td><td class="num ${x.flagged ? 'fail' : 'pass'}">${h(gap)}${x.flagged ? ' ▲' : ''}</td></tr>`;
    });
    return [
      `<p><b>${h(names[i])}</b> (${h(c.source)}):</p><table class="fid"><thead><tr><th>what</th><th>profile</th><th>measured</th><th>samples</th><th>gap</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    ];
  });
  if (parts.length === 0) return '';
  return `<h3>Self-check</h3><p class="note">What the Kinesis service model delivered, measured by the quota layer: a call from request to answer; propagation from a record being stored to the answer of a read that could have returned it (the read's own time and the wait for it up to one poll of the 5 a second a shard allows; a consumer's longer pauses and the shards it holds back are its own, not the service's), beside the profile. "not measured": no record stored through the layer was read in that run. Gaps over ${MAX_GAP * 100}% are flagged ▲.</p>${parts.join('')}`;
}

/** Where each dimension was real, emulated or absent across the configurations, one line. */
function levelsLine(runs: RunData[]): string {
  const by = new Map<string, string[]>();
  for (const d of DIMENSIONS) {
    const levels = [
      ...new Set(
        runs.map((r) => {
          const x = r.manifest.fidelity?.dimensions[d];
          if (!x) return 'absent';
          const on = x.level === 'emulated' ? `emulated (${x.status})` : x.level;
          return `${on} on ${r.manifest.backend}`;
        }),
      ),
    ];
    // A dimension alike on every backend reads once, without the backends.
    const alike = new Set(levels.map((l) => l.split(' on ')[0])).size === 1;
    const key = alike ? levels[0]!.split(' on ')[0]! : levels.join(', ');
    by.set(key, [...(by.get(key) ?? []), DIMENSION_LABELS[d]]);
  }
  return [...by].map(([level, dims]) => `<b>${h(level)}</b>: ${h(dims.join(', '))}`).join('; ');
}

/** What the fidelity means for this answer: the figures it rests on that are not decision-grade. */
function meaningLine(runs: RunData[]): string {
  const weak = FIGURES.flatMap((f) => {
    const on = [
      ...new Set(
        runs.filter((r) => restsOnWeak(f, r.manifest.fidelity)).map((r) => r.manifest.backend),
      ),
    ];
    return on.length ? [`${f.label} (${on.join(', ')})`] : [];
  });
  const checks = runs.filter((r) => selfChecks(r.manifest.backend)).map((r) => readCheck(r.dir));
  // Each configuration's check is one of: off its profile, not (fully) measured, within it.
  const off = checks.filter((c) => c?.rows.some((x) => x.flagged && x.measuredMs !== null));
  const unmeasured = checks.filter(
    (c) => !off.includes(c) && (!c || c.rows.some((x) => x.measuredMs === null)),
  );
  const within = checks.length - off.length - unmeasured.length;
  const said = [
    off.length ? `<b>off its profile in ${off.length}</b>` : '',
    within ? `within it in ${within}` : '',
    unmeasured.length ? `not measured in ${unmeasured.length}` : '',
  ].filter(Boolean);
  const check =
    checks.length === 0
      ? ''
      : ` The service model's self-check, of ${checks.length} configuration${checks.length === 1 ? '' : 's'}: ${said.join(', ')} (in full below).`;
  return weak.length
    ? `For this answer: loss, duplicates and the DLQ rate rest on the engine's own logic; <b>not decision-grade</b> as absolute figures, only as comparisons on one machine: ${h(weak.join('; '))}.${check}`
    : `For this answer: every figure rests on real or published dimensions.${check}`;
}

/**
 * The capacity each backend was held to, as stated and here, once per distinct line; a run
 * without a record of it (from before capacities, or a profile stating none) says so.
 */
function capacityLine(runs: RunData[]): string {
  const lines = new Set(
    runs.map((r) => {
      const f = r.manifest.fidelity;
      const backend = r.manifest.backend;
      if (!f) return `${backend}: not recorded (unknown)`;
      return (
        f.capacity?.line ??
        `${backend}: none held beyond the stand-in's own (${f.profile.name} states none)`
      );
    }),
  );
  return [...lines].map((l) => h(l)).join('; ');
}

/**
 * Three lines first (what was real, emulated, absent; what it means for the answer; the
 * capacity held), then the full tables folded, by configuration (each one's median run).
 */
export function fidelitySection(runs: RunData[], names: string[]): string {
  return `${CSS}<section class="fidelity-summary"><p class="note"><b>Fidelity</b> · ${levelsLine(runs)}.</p>
<p class="note">${meaningLine(runs)}</p>
<p class="note"><b>Capacity</b> · ${capacityLine(runs)}.</p></section>
<details class="fid-details"><summary><h2 style="display:inline">Fidelity in full</h2></summary>
<p class="note">How closely each run stands in for the real service: <b>real</b> (the real software does it), <b>emulated</b> (a model: published, measured or assumed figures), or <b>absent</b> (nothing stands in for it). Figures resting on an absent or assumed dimension carry a <span class="fid-badge">fidelity</span> badge: they are not decision-grade.</p>
<ul>${[...new Map(runs.map((r) => [profileLine(r), r])).keys()].join('')}</ul>
${dimensionTable(runs, names)}
<h3>What each figure rests on</h3>
${figureTable(runs, names)}
${checkTable(runs, names)}</details>`;
}

/** The side-by-side table with a badge on each figure that rests on a weak dimension of its run. */
export function withFidelityBadges(table: string, runs: RunData[]): string {
  return table.replace(
    /(<td class="num[^"]*" data-run="(\d+)" data-key="([^"]+)"[^>]*>)([\s\S]*?)<\/td>/g,
    (all, open: string, i: string, key: string, body: string) => {
      const why = figureWeakness(
        key.replace(/&[a-z#0-9]+;/g, ''),
        runs[Number(i)]?.manifest.fidelity,
      );
      return why
        ? `${open}${body}<span class="fid-badge" title="${h(why)}">fidelity</span></td>`
        : all;
    },
  );
}
