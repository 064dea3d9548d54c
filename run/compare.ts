/**
 * `hunt compare`: the same scenario, plan, seed and profile against each backend in turn,
 * interleaved when repeated (kafka, kinesis, kafka, ...) so a drifting machine hits both
 * alike; then the spread of each figure over the repeats, and the comparison report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../common/exit-codes.ts';
import { writeReport } from '../reports/report.ts';
import type { Summary } from '../reports/schema.ts';
import { newRunId, type RunOptions, type RunResult, runOnce } from './run.ts';

export interface CompareOptions extends Omit<RunOptions, 'backend' | 'out' | 'runId'> {
  backends: ('kafka' | 'kinesis')[];
  repeat: number;
  out: string;
}

export interface CompareResult {
  dir: string;
  runs: RunResult[];
  report: string | null;
  exitCode: number;
}

const FIGURES: [string, (s: Summary) => number | null][] = [
  ['acceptedPerS', (s) => s.throughput.acceptedPerS],
  ['httpP99', (s) => s.http?.p99 ?? null],
  ['e2eP99', (s) => s.e2e?.p99 ?? null],
  ['backlogMax', (s) => s.backlog.max],
  ['lost', (s) => s.lost],
  ['dlq', (s) => s.dlq.total],
  ['shed', (s) => s.shed],
];

/** min / median / max of each figure per backend over the repeats where it was measured (n). */
export function spread(
  summaries: Summary[],
): Record<
  string,
  Record<string, { min: number | null; median: number | null; max: number | null; n: number }>
> {
  const out: ReturnType<typeof spread> = {};
  for (const backend of new Set(summaries.map((s) => s.backend))) {
    const mine = summaries.filter((s) => s.backend === backend);
    out[backend] = Object.fromEntries(
      FIGURES.map(([name, get]) => {
        const v = mine
          .map(get)
          .filter((x): x is number => x !== null)
          .sort((a, b) => a - b);
        if (v.length === 0) return [name, { min: null, median: null, max: null, n: 0 }];
        const mid = v.length / 2;
        const median = v.length % 2 ? v[Math.floor(mid)]! : (v[mid - 1]! + v[mid]!) / 2;
        return [name, { min: v[0]!, median, max: v.at(-1)!, n: v.length }];
      }),
    );
  }
  return out;
}

export async function compare(o: CompareOptions): Promise<CompareResult> {
  mkdirSync(o.out, { recursive: true });
  const runs: RunResult[] = [];
  for (let i = 0; i < o.repeat && !o.signal.aborted; i++) {
    for (const backend of o.backends) {
      if (o.signal.aborted) break;
      const runId = newRunId(backend, o.scenario, o.plan.name);
      const name = o.repeat > 1 ? `${backend}-${i + 1}` : backend;
      o.progress.log(`[compare] ${name} (${runs.length + 1}/${o.repeat * o.backends.length})`);
      runs.push(await runOnce({ ...o, backend, runId, out: join(o.out, name) }));
    }
  }
  const summaries = runs.flatMap((r) => (r.summary ? [r.summary] : []));
  writeFileSync(
    join(o.out, 'compare.json'),
    `${JSON.stringify({ runs: runs.map((r) => r.dir), spread: spread(summaries) }, null, 2)}\n`,
  );
  let report: string | null = null;
  if (runs.length > 0 && !o.signal.aborted) {
    const written = await writeReport({
      results: runs.map((r) => r.dir),
      out: join(o.out, 'report'),
      budgets: o.budgetsFile,
    });
    report = written.files.html;
  }
  const exitCode = o.signal.aborted
    ? EXIT.interrupted
    : runs.reduce(
        (worst, r) => (severity(r.exitCode) > severity(worst) ? r.exitCode : worst),
        EXIT.ok as number,
      );
  return { dir: o.out, runs, report, exitCode };
}

const ORDER: number[] = [EXIT.ok, EXIT.budgets, EXIT.lost, EXIT.incomplete, EXIT.interrupted];
const severity = (code: number) =>
  ORDER.indexOf(code) === -1 ? ORDER.length : ORDER.indexOf(code);
