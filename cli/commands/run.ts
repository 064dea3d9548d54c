import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../../common/exit-codes.ts';
import { bottleneckWarnings } from '../../run/bottleneck.ts';
import { agentsTable, finalTable } from '../../run/final-table.ts';
import { assertStackFits } from '../../run/kinesis-store.ts';
import { Progress } from '../../run/progress.ts';
import { newRunId, runOnce } from '../../run/run.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { type AgentFlags, agentOptions, checkedAgents } from '../agent-flags.ts';
import { backendOption } from '../options.ts';
import { checkedRunInput, interruptSignal, type RunFlags, runOptions } from '../run-flags.ts';

export function register(program: Command): void {
  agentOptions(
    runOptions(
      program
        .command('run')
        .description(
          'run one scenario with one fault plan against one backend; leave a results directory',
        )
        .option('--backend <name>', 'kafka | kinesis', 'kafka')
        .option('--out <dir>', 'results directory (default results/<run-id>)'),
    ),
  )
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.ok} ok, ${EXIT.budgets} a budget was breached, ${EXIT.usage} bad input, ` +
        `${EXIT.lost} events lost, ${EXIT.incomplete} the run did not complete, ${EXIT.interrupted} interrupted.`,
    )
    .action(async (f: RunFlags & AgentFlags) => {
      const backend = backendOption(f.backend, ['kafka', 'kinesis'] as const);
      const input = await checkedRunInput(f);
      const agents = checkedAgents(f);
      assertStackFits(input.plan, [backend], input.paths);
      const runId = newRunId(backend, f.scenario, input.plan.name);
      const progress = new Progress();
      const result = await runOnce({
        ...input,
        ...agents,
        backend,
        runId,
        out: f.out ?? resolve(REPO_ROOT, 'results', runId),
        signal: interruptSignal(progress),
        progress,
      });
      if (result.summary) console.log(finalTable([result.summary]));
      const perAgent = result.summary && agentsTable(result.summary);
      if (perAgent) console.log(`\n${perAgent}`);
      for (const w of bottleneckWarnings([result.dir])) console.log(w);
      console.log(`\nresults: ${result.dir}`);
      process.exitCode = result.exitCode;
    });
}
