/**
 * `hunt demo` (what `npm run demo` runs): the main job from a fresh clone. Installs the
 * pinned tools when needed, brings one stack up for every run, then runs the incident
 * preset (run/incident.ts) in each cell of Kafka/Kinesis × naive/hardened and writes the
 * matrix report with its findings.
 *
 * Exit code: non-zero only when an event was lost from a hardened run (or its loss could
 * not be counted) or a run did not finish. The naive design losing events, failing sales
 * or breaching budgets is what the demo sets out to show, so it is reported, not failed.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { exitWith } from '../../common/exit-codes.ts';
import { readBudgets } from '../../reports/budgets.ts';
import { compare } from '../../run/compare.ts';
import { demoVerdict } from '../../run/demo-verdict.ts';
import { loadFidelityProfile } from '../../run/fidelity.ts';
import { answerLines, findingsSummary, matrixTable } from '../../run/final-table.ts';
import { INCIDENT, incidentPlan } from '../../run/incident.ts';
import { Progress } from '../../run/progress.ts';
import { timestamp } from '../../run/run.ts';
import { resolvePaths, resolvePorts } from '../../stack/config.ts';
import { setup } from '../../stack/install.ts';
import { readStackInfo } from '../../stack/stack.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { startPrivateStacks } from '../../system/private-stack.ts';
import { stackDown, stackUp } from '../../system/stack.ts';
import { intOption, positiveOption } from '../options.ts';
import { DEFAULT_FIDELITY, interruptSignal } from '../run-flags.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'the main job: the flash-sale incident on Kafka and Kinesis, naive and hardened engine, and the matrix report with its findings',
    )
    .option(
      '--repeat <n>',
      'runs per cell; the findings can name a difference from 6 (docs/method.md)',
      String(INCIDENT.matrix.repeat),
    )
    .option(
      '--lanes <n>',
      'cells run side by side, each on its own private stack (1: one after another on one stack)',
      String(INCIDENT.sideBySide),
    )
    .option('--scale <x>', 'multiply every rate', String(INCIDENT.scale))
    .option('--fidelity <name>', 'fidelity profile (scenarios/fidelity/)', DEFAULT_FIDELITY.compare)
    .action(async (opts: { repeat: string; lanes: string; scale: string; fidelity: string }) => {
      const repeat = intOption('--repeat', opts.repeat, 1, 10);
      const lanes = intOption('--lanes', opts.lanes, 1, 8);
      const scale = positiveOption('--scale', opts.scale);
      const fidelity = loadFidelityProfile(opts.fidelity);
      const paths = resolvePaths();
      const log = (line: string) => console.log(line);
      await setup(paths, log, { quiet: true });
      const plan = incidentPlan();
      const out = join(REPO_ROOT, 'results', `demo-${timestamp()}`);
      const budgetsFile = join(REPO_ROOT, 'scenarios', 'budgets.yaml');
      const progress = new Progress();
      const signal = interruptSignal(progress);
      const cells = INCIDENT.matrix.backends.length * INCIDENT.matrix.designs.length;
      log(
        `[demo] ${INCIDENT.scenario} × ${plan.name} (${plan.duration} s of load), scale ${scale}, ` +
          `${cells} cells × ${repeat} repeat${repeat === 1 ? '' : 's'}` +
          `${lanes > 1 ? `, ${lanes} side by side` : ''}; results in ${out}`,
      );
      // Stacks for every run: bringing one up per run would cost more than the runs. Side by
      // side, each lane has its own private stack, so a developer's stack is left alone.
      const privates = lanes > 1 ? await startPrivateStacks(lanes, log) : [];
      const ownStack = lanes === 1 && readStackInfo(paths) === undefined;
      if (ownStack) await stackUp(paths, resolvePorts(), log);
      try {
        const result = await compare({
          ...INCIDENT,
          engineSettings: { ...INCIDENT.engineSettings },
          matrix: {
            ...INCIDENT.matrix,
            designs: [...INCIDENT.matrix.designs],
            backends: [...INCIDENT.matrix.backends],
            repeat,
          },
          out,
          ...(privates.length > 0 ? { lanes: privates.map((p) => p.paths) } : {}),
          plan,
          planFile: plan.file,
          duration: `${plan.duration}s`,
          scale,
          budgets: await readBudgets(budgetsFile),
          budgetsFile,
          fidelity,
          paths,
          signal,
          progress,
        });
        log('');
        for (const line of answerLines(result)) log(line);
        if (result.matrix.length > 0) log(`\n${matrixTable(result.matrix)}`);
        log(`\n${findingsSummary(result, join(out, 'findings.txt'))}`);
        const verdict = demoVerdict(result.runs, result.exitCode);
        for (const line of verdict.lines) log(line);
        if (result.report) log(`\nreport: ${result.report}`);
        exitWith(verdict.exitCode, 'demo');
      } finally {
        if (ownStack) await stackDown(paths, log);
        await Promise.all(privates.map((p) => p.stop()));
      }
    });
}
