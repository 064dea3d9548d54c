/** `hunt chaos run | list | validate | quota | reset`: fault plans against the local stack. */
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadPlan } from '../../chaos/plan.ts';
import { formatQuotaMode, parseQuotaMode } from '../../chaos/quota-mode.ts';
import { ChaosRecorder } from '../../chaos/recorder.ts';
import { runPlan } from '../../chaos/runner.ts';
import { planFile, shippedPlanFile, shippedPlans } from '../../chaos/shipped-plans.ts';
import { formatTimeline } from '../../chaos/timeline.ts';
import { toxiproxyApi } from '../../chaos/toxiproxy.ts';
import { EXIT, ExitError } from '../../common/exit-codes.ts';
import { table } from '../../common/table.ts';
import { UserError } from '../../common/user-error.ts';
import { localDrivers } from '../../drivers/registry.ts';
import { type Paths, type Ports, resolvePaths, resolvePorts } from '../../stack/config.ts';
import { readStackInfo } from '../../stack/stack.ts';
import {
  planTargets,
  runTargets,
  stackDownstreamControl,
  stackProcessControl,
  stackQuotaControl,
  toxiproxyUrl,
} from '../../system/chaos.ts';
import { backendOption } from '../options.ts';
import { abortOnStopSignals } from '../signals.ts';

const log = (line: string) => console.log(line);

function stackEnv(): { paths: Paths; ports: Ports } {
  const paths = resolvePaths();
  return { paths, ports: readStackInfo(paths)?.ports ?? resolvePorts() };
}

interface RunFlags {
  dryRun?: boolean;
  backend: string;
  results?: string;
  toxiproxy?: string;
}

/** SIGINT/SIGTERM abort the plan, whose runner undoes every fault before returning. */
function abortOnSignal(): AbortSignal {
  return abortOnStopSignals((sig) =>
    log(`[chaos] ${sig}: undoing every fault before exit (again to exit now)`),
  );
}

async function runAction(arg: string, opts: RunFlags): Promise<void> {
  const backend = backendOption(opts.backend, 'any');
  const plan = loadPlan(planFile(arg), planTargets());
  if (opts.dryRun) {
    process.stdout.write(formatTimeline(plan, runTargets(backend)));
    return;
  }
  const { paths, ports } = stackEnv();
  const signal = abortOnSignal();
  const startedAt = Date.now();
  const stamp = new Date(startedAt).toISOString().replace(/[:.]/g, '-');
  const results = opts.results ?? join('results', `chaos-${plan.name}-${stamp}`);
  const recorder = new ChaosRecorder();
  log(`[chaos] ${plan.name} on ${backend}, ${plan.duration}s, ${plan.steps.length} steps`);
  const result = await runPlan(plan, {
    run: runTargets(backend),
    toxiproxyUrl: opts.toxiproxy ?? toxiproxyUrl(ports),
    startedAt,
    signal,
    recorder,
    processControl: stackProcessControl(paths, ports),
    quotaControl: stackQuotaControl(paths, ports),
    downstreamControl: stackDownstreamControl(ports),
    journalFile: join(paths.state, 'chaos-journal.json'),
    log: (line) => log(`[chaos] ${line}`),
  });
  log(`[chaos] wrote ${recorder.write(results)}`);
  for (const e of recorder.errors()) log(`[chaos] steps[${e.step}] ${e.label}: ${e.error}`);
  if (!result.complete) throw new ExitError(EXIT.interrupted, `chaos: ${plan.name} interrupted`);
  if (result.errors > 0)
    throw new ExitError(EXIT.failed, `chaos: ${result.errors} step(s) of ${plan.name} failed`);
}

function listAction(): void {
  const rows = shippedPlans().map((name) => {
    const plan = loadPlan(shippedPlanFile(name), planTargets());
    return [name, `${plan.duration}s`, String(plan.steps.length), plan.description];
  });
  console.log(table(['plan', 'length', 'steps', 'description'], rows));
}

function validateAction(args: string[]): void {
  const files = args.length > 0 ? args.map(planFile) : shippedPlans().map(shippedPlanFile);
  for (const f of files) loadPlan(f, planTargets());
  log(`${files.length} plan${files.length === 1 ? '' : 's'} valid`);
}

async function quotaAction(raw: string | undefined, opts: { provider: string }): Promise<void> {
  // Every argument is checked before the stack is asked anything.
  const owners = localDrivers().filter((d) => d.local.quota && d.local.chaos.quota);
  const driver = owners.find((d) => d.local.chaos.quota?.provider === opts.provider);
  if (!driver?.local.quota) {
    const names = owners.map((d) => d.local.chaos.quota?.provider);
    throw new UserError(`--provider: expected ${names.join(' or ')}, got '${opts.provider}'`);
  }
  const control = driver.local.quota;
  const mode = raw === undefined ? undefined : parseQuotaMode(raw);
  const { paths, ports } = stackEnv();
  const c = { paths, ports, stack: readStackInfo(paths) };
  if (mode === undefined) {
    if (!control.get)
      throw new UserError(`${opts.provider} quotas: give a mode (off, on or a multiplier)`);
    log(formatQuotaMode(await control.get(c)));
    return;
  }
  const previous = await control.set(c, mode);
  log(`${opts.provider} quotas: ${formatQuotaMode(previous)} -> ${formatQuotaMode(mode)}`);
}

async function resetAction(): Promise<void> {
  const { ports } = stackEnv();
  await toxiproxyApi(toxiproxyUrl(ports)).reset();
  log('toxiproxy reset: no toxics, every proxy enabled');
}

export function register(program: Command): void {
  const chaos = program
    .command('chaos')
    .description('fault plans: Toxiproxy toxics, proxy outages, process kills, provider quotas')
    .addHelpText(
      'after',
      `\nShipped plans (chaos/plans/): ${shippedPlans().join(', ')}.\nFormat: chaos/plans/README.md.`,
    );
  chaos
    .command('run')
    .description(
      "apply a plan's faults on its timeline against the local stack and record chaos.json",
    )
    .argument('<plan>', 'plan file, or the name of a shipped plan')
    .option('--dry-run', 'print the timeline and exit')
    .option(
      '--backend <name>',
      `what 'broker' means: ${localDrivers()
        .map((d) => d.name)
        .join(' or ')} (memory: a plan without broker faults)`,
      'kafka',
    )
    .option('--results <dir>', 'directory for chaos.json (default results/chaos-<plan>-<time>)')
    .option('--toxiproxy <url>', "Toxiproxy's API (default from the running stack)")
    .action(runAction);
  chaos.command('list').description('the shipped plans').action(listAction);
  chaos
    .command('validate')
    .description(
      'check plans (default: every shipped plan); errors name file, line, step and field',
    )
    .argument('[plans...]')
    .action(validateAction);
  chaos
    .command('quota')
    .description('show or set provider quotas: off, on, or a multiplier on AWS per-shard limits')
    .argument('[mode]', 'off | on | a multiplier such as 0.5')
    .option(
      '--provider <name>',
      `whose quotas: ${localDrivers()
        .flatMap((d) =>
          d.local.chaos.quota
            ? [`${d.local.chaos.quota.provider} (${d.local.chaos.quota.what})`]
            : [],
        )
        .join(' or ')}`,
      'kinesis',
    )
    .action(quotaAction);
  chaos
    .command('reset')
    .description('remove every toxic and re-enable every proxy (what a crashed run left behind)')
    .action(resetAction);
}
