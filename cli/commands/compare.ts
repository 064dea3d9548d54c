import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { bottleneckWarnings } from '../../analysis/bottleneck.ts';
import { exitWith } from '../../common/exit-codes.ts';
import { UserError } from '../../common/user-error.ts';
import { compare } from '../../run/compare.ts';
import { assertProducersFit } from '../../run/engines.ts';
import { answerLines, findingsSummary, matrixTable } from '../../run/final-table.ts';
import { loadMatrixFile, type MatrixSpec, matrixFromFlags } from '../../run/matrix-spec.ts';
import { Progress } from '../../run/progress.ts';
import { timestamp } from '../../run/run.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { startPrivateStacks } from '../../system/private-stack.ts';
import { assertStackFits } from '../../system/stack.ts';
import { intOption } from '../options.ts';
import {
  checkedRunInput,
  DEFAULT_FIDELITY,
  interruptSignal,
  type RunFlags,
  runOptions,
} from '../run-flags.ts';

export type CompareFlags = RunFlags & {
  backends?: string;
  designs?: string;
  repeat?: string;
  matrix?: string;
  lanes: string;
};

/** The matrix from `--matrix` or from the flags, never from both (which would win is a guess). */
export function matrixOf(f: CompareFlags): {
  matrix: MatrixSpec;
  settings: Record<string, string>;
} {
  if (f.matrix === undefined) return { matrix: matrixFromFlags(f), settings: {} };
  for (const flag of ['backends', 'designs', 'repeat'] as const)
    if (f[flag] !== undefined)
      throw new UserError(
        `--${flag}: the matrix file ${f.matrix} sets the matrix; give one or the other`,
      );
  const { settings, ...matrix } = loadMatrixFile(resolve(f.matrix));
  return { matrix, settings };
}

/**
 * The matrix flags `hunt compare` and `hunt capacity` share; `repeat` and `lanes` say what a
 * repeat and a lane are to the verb.
 */
export function matrixOptions(
  cmd: Command,
  verb: string,
  help: { repeat: string; lanes: string },
): Command {
  return runOptions(
    cmd
      .option('--backends <list>', 'comma-separated backends (default kafka,kinesis)')
      .option(
        '--designs <list>',
        "engine designs: naive, hardened, or a stopgap row: naive-batching, naive-more-producers (default: the engine's own)",
      )
      .option('--repeat <n>', help.repeat)
      .option('--matrix <file>', 'a YAML matrix file instead of --backends/--designs/--repeat')
      .option('--lanes <n>', help.lanes, '1')
      .option(
        '--out <dir>',
        `directory for the runs and the report (default results/${verb}-<time>)`,
      ),
    DEFAULT_FIDELITY.compare,
  );
}

export function register(program: Command): void {
  matrixOptions(
    program
      .command('compare')
      .description(
        'run the same scenario and plan in every cell of a matrix (backends × engine designs), repeated, then write the matrix report with its findings',
      ),
    'compare',
    {
      repeat:
        'runs per cell, interleaved; a difference needs 5 or more (docs/method.md; default 1)',
      lanes: 'runs side by side, each lane on its own private stack (1: one after another)',
    },
  ).action(async (f: CompareFlags) => {
    const { matrix, settings } = matrixOf(f);
    const input = await checkedRunInput(f);
    assertStackFits(input.plan, matrix.backends, input.paths);
    // A row that cannot run with several producers is refused before the first run starts.
    for (const d of matrix.designs.length > 0 ? matrix.designs : [null])
      assertProducersFit(d?.producers ?? input.producers, {
        ...settings,
        ...input.engineSettings,
        ...d?.settings,
      });
    const lanes = intOption('--lanes', f.lanes, 1, 8);
    const stamp = timestamp();
    const progress = new Progress();
    const privates = lanes > 1 ? await startPrivateStacks(lanes, (l) => progress.log(l)) : [];
    const result = await compare({
      ...input,
      engineSettings: { ...settings, ...input.engineSettings },
      matrix,
      out: resolve(f.out ?? resolve(REPO_ROOT, 'results', `compare-${stamp}`)),
      ...(privates.length > 0 ? { lanes: privates.map((p) => p.paths) } : {}),
      signal: interruptSignal(progress),
      progress,
    }).finally(() => Promise.all(privates.map((p) => p.stop())));
    for (const line of answerLines(result)) console.log(line);
    if (result.matrix.length > 0) console.log(`\n${matrixTable(result.matrix)}`);
    console.log(`\n${findingsSummary(result, join(result.dir, 'findings.txt'))}`);
    for (const w of bottleneckWarnings(result.runs.map((r) => r.dir))) console.log(w);
    if (result.report) console.log(`\nreport: ${result.report}`);
    console.log(`results: ${result.dir}`);
    exitWith(result.exitCode, `compare ${result.dir}`);
  });
}
