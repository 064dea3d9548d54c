import type { Command } from 'commander';
import { formatValue } from '../../analysis/figures.ts';
import { runLabel } from '../../reports/configurations.ts';
import { writeReport } from '../../reports/report.ts';
import { percentOption } from '../percent-option.ts';

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
        const maxRegressionPct = percentOption('--max-regression', opts.maxRegression);
        const { model, files } = await writeReport({ ...opts, results, maxRegressionPct });
        console.log(`report: ${files.html}`);
        for (const r of model.runs) {
          const s = r.summary;
          // Named by configuration, as the report names it; the id only tells repeats apart.
          const name = runLabel(model.matrix, r.runId, r.backend);
          console.log(
            `  ${name} (${r.runId}): ${r.verdict.toUpperCase()}; ` +
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
