import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatValue } from '../../analysis/figures.ts';
import { EXIT, ExitError } from '../../common/exit-codes.ts';
import { table } from '../../common/table.ts';
import { UserError } from '../../common/user-error.ts';
import { readBudgets } from '../../reports/budgets.ts';
import { gateJUnit, gateRows } from '../../reports/gate.ts';
import { expandResults, loadRun } from '../../reports/read-run.ts';
import { percentOption } from '../percent-option.ts';

const unitOf = (name: string) =>
  name.endsWith('_ms') ? 'ms' : name.endsWith('_rate') ? 'ratio' : 'count';

export function register(program: Command): void {
  program
    .command('gate')
    .description(
      `check runs against latency and error budgets (and a baseline); exit ${EXIT.ok} pass, ${EXIT.budgets} fail`,
    )
    .argument('<results...>', 'results directories (or directories of them)')
    .requiredOption('--budgets <file>', 'budgets file, e.g. scenarios/budgets.yaml')
    .option('--baseline <dir>', 'earlier results: fail when a budgeted figure regressed')
    .option('--max-regression <pct>', 'allowed regression against the baseline, in percent', '10')
    .option(
      '--junit <file>',
      'where to write JUnit XML (default: <first results dir>/gate.junit.xml)',
    )
    .action(
      async (
        results: string[],
        opts: { budgets: string; baseline?: string; maxRegression: string; junit?: string },
      ) => {
        const maxRegressionPct = percentOption('--max-regression', opts.maxRegression);
        const budgets = await readBudgets(opts.budgets);
        if (Object.keys(budgets).length === 0) throw new UserError(`${opts.budgets}: no budgets`);
        const load = async (paths: string[]) =>
          Promise.all((await expandResults(paths)).map((dir) => loadRun(dir)));
        const runs = await load(results);
        const baseline = opts.baseline ? await load([opts.baseline]) : [];
        const rows = gateRows(runs, budgets, baseline, maxRegressionPct);
        const show = (name: string, v: number | null) => formatValue(v, unitOf(name));
        console.log(
          table(
            ['run', 'budget', 'value', 'limit', ...(opts.baseline ? ['baseline'] : []), 'result'],
            rows.map((r) => [
              `${r.backend} ${r.runId}`,
              r.budget,
              show(r.budget, r.value),
              show(r.budget, r.limit),
              ...(opts.baseline ? [show(r.budget, r.baseline)] : []),
              r.pass ? 'PASS' : `FAIL: ${r.failure}`,
            ]),
          ),
        );
        const junit = opts.junit ?? join(results[0]!, 'gate.junit.xml');
        await writeFile(junit, gateJUnit(rows));
        const failed = rows.filter((r) => !r.pass).length;
        if (failed > 0)
          throw new ExitError(
            EXIT.budgets,
            `gate: FAIL (${failed} of ${rows.length} checks); JUnit: ${junit}`,
          );
        console.log(`gate: PASS (${rows.length} checks); JUnit: ${junit}`);
      },
    );
}
