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
import type { Paths } from '../stack/config.ts';
import { type Cell, cellDir, type MatrixSpec, schedule } from './matrix-spec.ts';
import { Progress } from './progress.ts';
import { newRunId, type RunOptions, type RunResult, runOnce } from './run.ts';

export interface CompareOptions extends Omit<RunOptions, 'backend' | 'out' | 'runId'> {
  matrix: MatrixSpec;
  out: string;
  /**
   * Stacks to run cells on side by side, each taking the next run of the schedule when its
   * last one ends; absent: every run on `paths`, one after another.
   */
  lanes?: Paths[];
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
  const plan = schedule(o.matrix);
  const lanes = o.lanes && o.lanes.length > 0 ? o.lanes : [o.paths];
  const ids = new Set<string>();
  // Side by side, one status line per run would interleave: each lane logs its own lines.
  const progress = lanes.map((_, i) =>
    lanes.length > 1 ? new LaneProgress(`[${i + 1}] `) : o.progress,
  );
  const done = await inLanes(
    plan,
    lanes.map((paths, i) => ({ paths, progress: progress[i]! })),
    async ({ cell, repeat }, lane, at) => {
      const name = cellDir(cell, repeat, o.matrix.repeat);
      let runId = newRunId(cell.backend, o.scenario, o.plan.name);
      // Two lanes can start the same backend in the same second.
      for (let k = 2; ids.has(runId); k++)
        runId = `${newRunId(cell.backend, o.scenario, o.plan.name)}-${k}`;
      ids.add(runId);
      lane.progress.log(`[compare] ${name} (${at + 1}/${plan.length})`);
      const engineSettings = { ...o.engineSettings, ...cell.design?.settings };
      const run = await runOnce({
        ...o,
        paths: lane.paths,
        progress: lane.progress,
        backend: cell.backend,
        engineSettings,
        producers: cell.design?.producers ?? o.producers ?? 1,
        runId,
        ...(cell.design ? { configuration: cell.design.name } : {}),
        out: join(o.out, name),
      });
      return { ...run, cell };
    },
    () => o.signal.aborted,
  );
  const runs = done.filter((r) => r !== undefined);
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

/**
 * Runs the items on the lanes, each lane taking the next item when its last one ends (one at
 * a time per lane); the results in the items' order, undefined for those never started.
 */
export async function inLanes<T, L, R>(
  items: readonly T[],
  lanes: readonly L[],
  work: (item: T, lane: L, index: number) => Promise<R>,
  stopped: () => boolean = () => false,
): Promise<(R | undefined)[]> {
  const out: (R | undefined)[] = items.map(() => undefined);
  let next = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      while (next < items.length && !stopped()) {
        const at = next++;
        out[at] = await work(items[at]!, lane, at);
      }
    }),
  );
  return out;
}

/** A lane's log: its lines prefixed, no live status line (several runs share the terminal). */
export class LaneProgress extends Progress {
  constructor(private readonly prefix: string) {
    super();
  }

  override update(): void {}

  override log(message: string): void {
    super.log(`${this.prefix}${message}`);
  }
}

const ORDER: number[] = [EXIT.ok, EXIT.budgets, EXIT.lost, EXIT.incomplete, EXIT.interrupted];
const severity = (code: number) =>
  ORDER.indexOf(code) === -1 ? ORDER.length : ORDER.indexOf(code);
