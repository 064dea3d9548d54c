import type { Command } from 'commander';
import { ReportInputError } from '../../reports/errors.ts';
import { formatValue } from '../../reports/format.ts';
import { writeReport } from '../../reports/report.ts';
import { UsageError } from '../errors.ts';

/** Input problems (missing run.json, bad budgets) are the user's to fix: one line, exit 2. */
export async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ReportInputError) throw new UsageError(err.message);
    throw err;
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'write a self-contained HTML report (plus summary.json and junit.xml) comparing runs; ' +
        'reads results directories only',
    )
    .argument(
      '<results...>',
      'results directories (or directories of them, as hunt compare writes)',
    )
    .requiredOption('--out <dir>', 'where to write index.html, summary.json, junit.xml')
    .option('--baseline <dir>', 'earlier results to compare against (repeatable)', collect)
    .option('--budgets <file>', 'budgets file (default: scenarios/budgets.yaml when present)')
    .option(
      '--max-regression <pct>',
      'flag figures worse than the baseline by more than this',
      '10',
    )
    .action(
      async (
        results: string[],
        opts: { out: string; baseline?: string[]; budgets?: string; maxRegression: string },
      ) => {
        const maxRegressionPct = Number(opts.maxRegression);
        if (!Number.isFinite(maxRegressionPct) || maxRegressionPct < 0) {
          throw new UsageError(
            `--max-regression: expected a percentage, got "${opts.maxRegression}"`,
          );
        }
        const { model, files } = await asUsage(() =>
          writeReport({ ...opts, results, maxRegressionPct }),
        );
        console.log(`report: ${files.html}`);
        for (const r of model.runs) {
          const s = r.summary;
          console.log(
            `  ${r.backend} (${r.runId}): ${r.verdict.toUpperCase()}; ` +
              `${formatValue(s.throughput.acceptedPerS, 'perS')} accepted, HTTP p99 (202) ${formatValue(s.http?.p99 ?? null, 'ms')} ms, ` +
              `end-to-end p99 ${formatValue(s.e2e?.p99 ?? null, 'ms')} ms, lost ${s.lost ?? 'UNKNOWN'}`,
          );
        }
        if (model.regressions.length > 0) {
          console.log(`  ${model.regressions.length} regression(s) against the baseline`);
        }
      },
    );
}
