/**
 * The demo's verdict. It fails only on what the hardened design promises: no event lost
 * (an uncounted loss is a loss), and every run finished. What the naive design loses, and a
 * naive backlog that outlasts the drain timeout (the run finished all else, audit included),
 * are the demo's findings and are said in words, with a zero exit.
 */
import { basename } from 'node:path';
import { EXIT } from '../common/exit-codes.ts';
import type { Cell } from './matrix-spec.ts';
import type { RunResult } from './run.ts';

export function demoVerdict(
  runs: (RunResult & { cell: Cell })[],
  compareExit: number,
): { exitCode: number; lines: string[] } {
  if (compareExit === EXIT.interrupted) return { exitCode: EXIT.interrupted, lines: [] };
  const lines: string[] = [];
  // By configuration, and the run's directory under the comparison's (`kafka-naive-2`).
  const name = (r: RunResult & { cell: Cell }) =>
    `${r.cell.backend} · ${r.cell.design?.name ?? 'default'} (${basename(r.dir)})`;
  // A naive run whose backlog outlasted the drain timeout finished all else: its finding.
  const naiveUndrained = (r: RunResult & { cell: Cell }) =>
    r.cell.design?.name === 'naive' && r.undrainedOnly && r.summary !== null;
  const unfinished = runs.filter((r) => !r.summary?.complete && !naiveUndrained(r));
  const hardened = runs.filter((r) => r.cell.design?.name !== 'naive');
  const hardenedLost = hardened.filter((r) => r.summary?.lost !== 0);
  const naiveLost = runs.filter(
    (r) => r.cell.design?.name === 'naive' && (r.summary?.lost ?? 0) > 0,
  );
  // One line per configuration: with repeats, a line per run would bury the answer.
  for (const [config, rs] of byConfiguration(naiveLost))
    lines.push(
      `[demo] ${config} lost events in ${rs.length} run${rs.length === 1 ? '' : 's'} (${rs.map((r) => r.summary!.lost).join(', ')}): the naive design's failure, which the demo shows (not a harness failure).`,
    );
  for (const [config, rs] of byConfiguration(runs.filter(naiveUndrained))) {
    const stalled = rs.filter((r) => r.summary?.backlog.stalled).length;
    const how = [
      stalled > 0 && `${stalled} stalled: nothing delivered for a while, the drain ended there`,
      stalled < rs.length && `${rs.length - stalled} past the drain timeout`,
    ].filter(Boolean);
    const left = rs.map((r) => r.summary?.undelivered ?? 'unknown').join(', ');
    lines.push(
      `[demo] ${config}: the backlog did not drain in ${rs.length} run${rs.length === 1 ? '' : 's'} (${how.join('; ')}; accepted events still undelivered: ${left}): the naive design's backlog, which the demo shows; the audit still ran.`,
    );
  }
  for (const r of runs)
    if (r.cell.design && r.summary && r.summary.design === null)
      lines.push(`[demo] ${name(r)}: the engine did not report its design; its row is 'unknown'.`);
  for (const r of hardenedLost)
    lines.push(
      `[demo] FAIL ${name(r)}: ${r.summary?.lost === null || !r.summary ? 'its losses could not be counted' : `lost ${r.summary.lost} events`}: the hardened design must lose nothing.`,
    );
  for (const r of unfinished) lines.push(`[demo] FAIL ${name(r)} did not finish; see its logs/.`);
  const exitCode =
    hardenedLost.length > 0 ? EXIT.lost : unfinished.length > 0 ? EXIT.incomplete : EXIT.ok;
  if (exitCode === EXIT.ok)
    lines.push('[demo] no event lost from a hardened run, and every run finished.');
  return { exitCode, lines };
}

function byConfiguration(
  runs: (RunResult & { cell: Cell })[],
): Map<string, (RunResult & { cell: Cell })[]> {
  const out = new Map<string, (RunResult & { cell: Cell })[]>();
  for (const r of runs) {
    const key = `${r.cell.backend} · ${r.cell.design?.name ?? 'default'}`;
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}
