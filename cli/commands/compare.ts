import { resolve } from 'node:path';
import type { Command } from 'commander';
import { bottleneckWarnings } from '../../run/bottleneck.ts';
import { compare } from '../../run/compare.ts';
import { finalTable } from '../../run/final-table.ts';
import { assertStackFits } from '../../run/kinesis-store.ts';
import { Progress } from '../../run/progress.ts';
import { timestamp } from '../../run/run.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { backendOption, intOption } from '../options.ts';
import { checkedRunInput, interruptSignal, type RunFlags, runOptions } from '../run-flags.ts';

export function register(program: Command): void {
  runOptions(
    program
      .command('compare')
      .description(
        'run the same scenario and plan against each backend in turn, then write the comparison report',
      )
      .option('--backends <list>', 'comma-separated backends', 'kafka,kinesis')
      .option(
        '--repeat <n>',
        'runs per backend (interleaved); the spread goes to compare.json',
        '1',
      )
      .option(
        '--out <dir>',
        'directory for the runs and the report (default results/compare-<time>)',
      ),
  ).action(async (f: RunFlags & { backends: string; repeat: string }) => {
    const backends = f.backends
      .split(',')
      .map((b) => backendOption(b.trim(), ['kafka', 'kinesis'] as const));
    const input = await checkedRunInput(f);
    assertStackFits(input.plan, backends, input.paths);
    const stamp = timestamp();
    const progress = new Progress();
    const result = await compare({
      ...input,
      backends,
      repeat: intOption('--repeat', f.repeat, 1, 20),
      out: resolve(f.out ?? resolve(REPO_ROOT, 'results', `compare-${stamp}`)),
      signal: interruptSignal(progress),
      progress,
    });
    const summaries = result.runs.flatMap((r) => (r.summary ? [r.summary] : []));
    if (summaries.length > 0) console.log(finalTable(summaries));
    for (const w of bottleneckWarnings(result.runs.map((r) => r.dir))) console.log(w);
    if (result.report) console.log(`\nreport: ${result.report}`);
    console.log(`results: ${result.dir}`);
    process.exitCode = result.exitCode;
  });
}
