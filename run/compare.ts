/**
 * `hunt compare`: the same scenario, plan, seed and profile in every cell of a matrix
 * (backends × engine designs), each cell repeated in the order matrix-spec.ts schedules;
 * then the matrix (median and interval of each symptom per configuration), the findings,
 * and the comparison report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Answer, compareRows, type Finding } from '../analysis/findings.ts';
import { buildMatrix, type MatrixRow } from '../analysis/matrix.ts';
import { ALPHA, LEVEL } from '../analysis/stats.ts';
import { EXIT } from '../common/exit-codes.ts';
import { RESULTS } from '../contract/layout.ts';
import type { Summary } from '../contract/schema.ts';
import { writeReport } from '../reports/report.ts';
import { type Cell, cellDir, type MatrixSpec, schedule } from './matrix-spec.ts';
import { newRunId, type RunOptions, type RunResult, runOnce } from './run.ts';

export interface CompareOptions extends Omit<RunOptions, 'backend' | 'out' | 'runId'> {
  matrix: MatrixSpec;
  out: string;
}

export interface CompareResult {
  dir: string;
  runs: (RunResult & { cell: Cell })[];
  matrix: MatrixRow[];
  findings: Finding[];
  answer: Answer;
  notes: string[];
  report: string | null;
  exitCode: number;
}

/**
 * compare.json: the runs, the matrix, the findings and the answer, reproducible from the
 * runs' summaries (docs/method.md).
 */
export function compareRecord(runs: string[], summaries: Summary[]) {
  const matrix = buildMatrix(summaries);
  const { findings, answer, notes, excluded } = compareRows(matrix);
  return {
    runs,
    method: {
      row: `median, order-statistic interval (${LEVEL * 100}% where exact coverage allows)`,
      test: 'exact two-sided permutation test of Gehan scores (Mann–Whitney with censoring)',
      shift: `Hodges–Lehmann with its distribution-free ${LEVEL * 100}% interval`,
      correction:
        'Bonferroni parallel gatekeeping, primary symptoms first, Holm among the secondary',
      familyWiseError: ALPHA,
    },
    matrix,
    answer,
    notes,
    excluded,
    findings,
  };
}

/** findings.txt: the answer, the notes, then one finding per line. */
export function findingsText(r: { answer: Answer; notes: string[]; findings: Finding[] }): string {
  return `${[...r.answer.lines, '', ...r.notes, '', ...r.findings.map((f) => f.text)].join('\n')}\n`;
}

export async function compare(o: CompareOptions): Promise<CompareResult> {
  mkdirSync(o.out, { recursive: true });
  const runs: (RunResult & { cell: Cell })[] = [];
  const plan = schedule(o.matrix);
  for (const { cell, repeat } of plan) {
    if (o.signal.aborted) break;
    const name = cellDir(cell, repeat, o.matrix.repeat);
    const runId = newRunId(cell.backend, o.scenario, o.plan.name);
    o.progress.log(`[compare] ${name} (${runs.length + 1}/${plan.length})`);
    const engineSettings = { ...o.engineSettings, ...cell.design?.settings };
    const run = await runOnce({
      ...o,
      backend: cell.backend,
      engineSettings,
      runId,
      ...(cell.design ? { configuration: cell.design.name } : {}),
      out: join(o.out, name),
    });
    runs.push({ ...run, cell });
  }
  const summaries = runs.flatMap((r) => (r.summary ? [r.summary] : []));
  const record = compareRecord(
    runs.map((r) => r.dir),
    summaries,
  );
  writeFileSync(join(o.out, RESULTS.compare), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(o.out, RESULTS.findings), findingsText(record));
  let report: string | null = null;
  if (runs.length > 0 && !o.signal.aborted) {
    const written = await writeReport({
      results: runs.map((r) => r.dir),
      out: join(o.out, 'report'),
      budgets: o.budgetsFile,
      comparison: join(o.out, 'compare.json'),
    });
    report = written.files.html;
  }
  const exitCode = o.signal.aborted
    ? EXIT.interrupted
    : runs.reduce(
        (worst, r) => (severity(r.exitCode) > severity(worst) ? r.exitCode : worst),
        EXIT.ok as number,
      );
  const { matrix, findings, answer, notes } = record;
  return { dir: o.out, runs, matrix, findings, answer, notes, report, exitCode };
}

const ORDER: number[] = [EXIT.ok, EXIT.budgets, EXIT.lost, EXIT.incomplete, EXIT.interrupted];
const severity = (code: number) =>
  ORDER.indexOf(code) === -1 ? ORDER.length : ORDER.indexOf(code);
