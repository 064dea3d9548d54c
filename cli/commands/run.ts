import { resolve } from 'node:path';
import type { Command } from 'commander';
import { bottleneckWarnings } from '../../analysis/bottleneck.ts';
import { assertRemotePlan } from '../../chaos/remote.ts';
import { EXIT, EXIT_MEANING, exitWith } from '../../common/exit-codes.ts';
import { UserError } from '../../common/user-error.ts';
import { localDrivers } from '../../drivers/registry.ts';
import { agentsTable, finalTable } from '../../run/final-table.ts';
import { Progress } from '../../run/progress.ts';
import { newRunId, runOnce } from '../../run/run.ts';
import { runTopic } from '../../run/run-prepare.ts';
import { loadTarget, type RunTarget } from '../../run/target.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { runTargets } from '../../system/chaos.ts';
import { assertStackFits } from '../../system/stack.ts';
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
        .option(
          '--backend <name>',
          localDrivers()
            .map((d) => d.name)
            .join(' | '),
          'kafka',
        )
        .option('--out <dir>', 'results directory (default results/<run-id>)')
        .option(
          '--target <file>',
          'YAML of engine settings naming an existing broker (docs/remote.md); no local Kafka or kinesalite is started',
        )
        .option(
          '--allow-remote',
          'allow targets outside 127.0.0.0/8: the --target broker, an --agent-base-url',
        ),
    ),
  )
    .addHelpText(
      'after',
      `\nExit codes:\n${(['ok', 'budgets', 'usage', 'lost', 'incomplete', 'interrupted'] as const)
        .map((name) => `  ${EXIT[name]}  ${EXIT_MEANING[name]}`)
        .join('\n')}`,
    )
    .action(async (f: RunFlags & AgentFlags & { target?: string }, cmd: Command) => {
      const input = await checkedRunInput(f);
      const agents = checkedAgents(f);
      let backend = backendOption(f.backend, 'local');
      const at = new Date();
      let runId = newRunId(backend, f.scenario, input.plan.name, at);
      let target: RunTarget | undefined;
      if (f.target) {
        target = await loadTarget(f.target, {
          allowRemote: f.allowRemote === true,
          runTopic: (b) => runTopic(newRunId(b, f.scenario, input.plan.name, at)),
          env: process.env,
        });
        if (cmd.getOptionValueSource('backend') === 'cli' && backend !== target.config.backend)
          throw new UserError(
            `--backend ${backend} contradicts --target ${f.target} (backend: ${target.config.backend})`,
          );
        backend = target.config.backend;
        runId = newRunId(backend, f.scenario, input.plan.name, at);
        assertRemotePlan(input.plan, runTargets(backend));
      } else {
        if (f.allowRemote && f.agentBaseUrl === undefined)
          throw new UserError('--allow-remote: only with --target or --agent-base-url');
        assertStackFits(input.plan, [backend], input.paths);
      }
      const progress = new Progress();
      const result = await runOnce({
        ...input,
        ...agents,
        backend,
        runId,
        out: f.out ?? resolve(REPO_ROOT, 'results', runId),
        signal: interruptSignal(progress),
        progress,
        ...(target ? { target } : {}),
      });
      if (result.summary) console.log(finalTable([result.summary]));
      const perAgent = result.summary && agentsTable(result.summary);
      if (perAgent) console.log(`\n${perAgent}`);
      for (const w of bottleneckWarnings([result.dir])) console.log(w);
      console.log(`\nresults: ${result.dir}`);
      exitWith(result.exitCode, `run ${runId}`);
    });
}
