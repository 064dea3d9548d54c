import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadPlan } from '../../chaos/plan.ts';
import { readBudgets } from '../../reports/budgets.ts';
import { finalTable } from '../../run/final-table.ts';
import { assertStackFits } from '../../run/kinesis-store.ts';
import {
  backendOption,
  intOption,
  positiveOption,
  quotaOption,
  settingsOption,
} from '../../run/options.ts';
import { Progress } from '../../run/progress.ts';
import { EXIT, newRunId, runOnce } from '../../run/run.ts';
import { resolvePaths } from '../../stack/config.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { UsageError } from '../errors.ts';
import { planFile } from './chaos.ts';

export interface RunFlags {
  backend: string;
  scenario: string;
  plan: string;
  seed: string;
  profile: string;
  scale: string;
  duration?: string;
  out?: string;
  drainTimeout: string;
  kinesisQuota: string;
  partitions: string;
  budgets: string;
  auditIdPath: string;
  set?: string[];
}

/** The options `hunt run` and `hunt compare` share. */
export function runOptions(cmd: Command): Command {
  return cmd
    .option(
      '--scenario <name>',
      'k6 scenario: smoke | steady | peak-sale | spike | soak, or a script path',
      'peak-sale',
    )
    .option('--plan <name>', 'chaos plan: a name in chaos/plans/ or a file', 'none')
    .option('--seed <n>', 'data and traffic seed', '1')
    .option(
      '--profile <name>',
      'rate profile for peak-sale (scenarios/profiles/ or a file)',
      'flash-sale',
    )
    .option('--scale <x>', 'multiply every rate (0.25 fits a small machine)', '1')
    .option(
      '--duration <d>',
      "stretch or shrink the scenario to this length, e.g. 90s (default: the plan's length, or the scenario's for a plan without faults)",
    )
    .option('--drain-timeout <s>', 'seconds to wait for the backlog to drain after the load', '120')
    .option(
      '--kinesis-quota <on|off|x>',
      "Kinesis per-shard quotas: AWS's limits (on), off, or a multiplier",
      'on',
    )
    .option('--partitions <n>', 'Kafka partitions / Kinesis shards of the run topic', '4')
    .option('--budgets <file>', 'latency and error budgets', 'scenarios/budgets.yaml')
    .option(
      '--audit-id-path <path>',
      "where each record's event id sits, as a dot path (the Event-Id k6 sent)",
      'id',
    )
    .option('--set <key=value...>', 'engine settings, e.g. --set backlogCritical=50000');
}

export async function checkedRunInput(f: RunFlags) {
  const file = planFile(f.plan);
  const budgetsFile = resolve(REPO_ROOT, f.budgets);
  const plan = loadPlan(file);
  // The plan sets the clock: load lasts as long as its fault timeline, so every fault meets
  // load. A plan without steps leaves the scenario its own length.
  const duration = f.duration ?? (plan.steps.length > 0 ? `${plan.duration}s` : undefined);
  return {
    scenario: f.scenario,
    plan,
    planFile: file,
    seed: intOption('--seed', f.seed, 0, 2 ** 31 - 1),
    profile: f.profile,
    scale: positiveOption('--scale', f.scale),
    ...(duration ? { duration } : {}),
    drainTimeoutS: intOption('--drain-timeout', f.drainTimeout, 1, 3600),
    kinesisQuota: quotaOption(f.kinesisQuota),
    partitions: intOption('--partitions', f.partitions, 1, 64),
    budgets: await readBudgets(budgetsFile),
    budgetsFile,
    engineSettings: settingsOption(f.set),
    auditIdPath: idPathOption(f.auditIdPath),
    paths: resolvePaths(),
  };
}

/** A dot path of plain keys, e.g. `id` or `meta.eventId`. */
function idPathOption(value: string): string {
  if (!/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(value)) {
    throw new UsageError(
      `--audit-id-path: expected a dot path such as 'id' or 'meta.eventId', got '${value}'`,
    );
  }
  return value;
}

/** SIGINT/SIGTERM abort the run cleanly; a second one exits at once. */
export function interruptSignal(progress: Progress): AbortSignal {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    progress.log(`[run] ${sig}: stopping everything cleanly (again to exit now)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

export function register(program: Command): void {
  runOptions(
    program
      .command('run')
      .description(
        'run one scenario with one fault plan against one backend; leave a results directory',
      )
      .option('--backend <name>', 'kafka | kinesis', 'kafka')
      .option('--out <dir>', 'results directory (default results/<run-id>)'),
  )
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.ok} ok, ${EXIT.budgets} a budget was breached, ${EXIT.usage} bad input, ` +
        `${EXIT.lost} events lost, ${EXIT.incomplete} the run did not complete, ${EXIT.interrupted} interrupted.`,
    )
    .action(async (f: RunFlags) => {
      const backend = backendOption(f.backend);
      const input = await checkedRunInput(f);
      assertStackFits(input.plan, [backend], input.paths);
      const runId = newRunId(backend, f.scenario, input.plan.name);
      const progress = new Progress();
      const result = await runOnce({
        ...input,
        backend,
        runId,
        out: f.out ?? resolve(REPO_ROOT, 'results', runId),
        signal: interruptSignal(progress),
        progress,
      });
      if (result.summary) console.log(finalTable([result.summary]));
      console.log(`\nresults: ${result.dir}`);
      process.exitCode = result.exitCode;
    });
}
