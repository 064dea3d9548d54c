import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadPlan, type Plan } from '../../chaos/plan.ts';
import { setKinesisQuota } from '../../chaos/quota/control.ts';
import { setKafkaQuota } from '../../chaos/quota/kafka.ts';
import { formatQuotaMode, parseQuotaMode } from '../../chaos/quota/limits.ts';
import { ChaosRecorder } from '../../chaos/recorder.ts';
import { runPlan } from '../../chaos/runner.ts';
import { stackProcessControl, stackQuotaControl, toxiproxyUrl } from '../../chaos/stack-control.ts';
import { formatTimeline } from '../../chaos/timeline.ts';
import { toxiproxyApi } from '../../chaos/toxiproxy.ts';
import { Backend } from '../../reports/schema.ts';
import { HOST, type Paths, type Ports, resolvePaths, resolvePorts } from '../../stack/config.ts';
import { readStackInfo } from '../../stack/stack.ts';
import { REPO_ROOT, toolPaths } from '../../stack/tools.ts';
import { UsageError } from '../errors.ts';
import { table } from '../table.ts';

const PLANS_DIR = join(REPO_ROOT, 'chaos', 'plans');
const log = (line: string) => console.log(line);

/** A path, or the name of a shipped plan (`cascade` -> chaos/plans/cascade.yaml). */
export function planFile(arg: string): string {
  if (existsSync(arg)) return arg;
  const shipped = join(PLANS_DIR, `${arg.replace(/\.ya?ml$/, '')}.yaml`);
  if (existsSync(shipped)) return shipped;
  throw new UsageError(`no plan '${arg}': give a file or one of ${shippedPlans().join(', ')}`);
}

function shippedPlans(): string[] {
  return readdirSync(PLANS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

function stackEnv(): { paths: Paths; ports: Ports } {
  const paths = resolvePaths();
  return { paths, ports: readStackInfo(paths)?.ports ?? resolvePorts() };
}

function backendOf(raw: string): Backend {
  const parsed = Backend.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(`--backend: expected kafka, kinesis or memory, got '${raw}'`);
  return parsed.data;
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
    .option('--backend <name>', "what 'broker' means: kafka or kinesis", 'kafka')
    .option('--results <dir>', 'directory for chaos.json (default results/chaos-<plan>-<time>)')
    .option('--toxiproxy <url>', "Toxiproxy's API (default from the running stack)")
    .action(
      async (
        arg: string,
        opts: { dryRun?: boolean; backend: string; results?: string; toxiproxy?: string },
      ) => {
        const backend = backendOf(opts.backend);
        const plan: Plan = loadPlan(planFile(arg));
        if (opts.dryRun) {
          process.stdout.write(formatTimeline(plan, backend));
          return;
        }
        const { paths, ports } = stackEnv();
        const controller = new AbortController();
        const stop = (sig: string) => {
          log(`[chaos] ${sig}: undoing every fault before exit`);
          controller.abort();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
        const startedAt = Date.now();
        const results =
          opts.results ??
          join(
            'results',
            `chaos-${plan.name}-${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}`,
          );
        const recorder = new ChaosRecorder();
        log(`[chaos] ${plan.name} on ${backend}, ${plan.duration}s, ${plan.steps.length} steps`);
        const result = await runPlan(plan, {
          backend,
          toxiproxyUrl: opts.toxiproxy ?? toxiproxyUrl(ports),
          startedAt,
          signal: controller.signal,
          recorder,
          processControl: stackProcessControl(paths, ports),
          quotaControl: stackQuotaControl(paths, ports),
          journalFile: join(paths.state, 'chaos-journal.json'),
          log: (line) => log(`[chaos] ${line}`),
        });
        log(`[chaos] wrote ${recorder.write(results)}`);
        for (const e of recorder.errors()) log(`[chaos] steps[${e.step}] ${e.label}: ${e.error}`);
        if (!result.complete) process.exitCode = 130;
        else if (result.errors > 0) process.exitCode = 1;
      },
    );

  chaos
    .command('list')
    .description('the shipped plans')
    .action(() => {
      const rows = shippedPlans().map((name) => {
        const plan = loadPlan(join(PLANS_DIR, `${name}.yaml`));
        return [name, `${plan.duration}s`, String(plan.steps.length), plan.description];
      });
      console.log(table(['plan', 'length', 'steps', 'description'], rows));
    });

  chaos
    .command('validate')
    .description(
      'check plans (default: every shipped plan); errors name file, line, step and field',
    )
    .argument('[plans...]')
    .action((args: string[]) => {
      const files =
        args.length > 0
          ? args.map(planFile)
          : shippedPlans().map((n) => join(PLANS_DIR, `${n}.yaml`));
      for (const f of files) loadPlan(f);
      log(`${files.length} plan${files.length === 1 ? '' : 's'} valid`);
    });

  chaos
    .command('quota')
    .description('show or set provider quotas: off, on, or a multiplier on AWS per-shard limits')
    .argument('[mode]', 'off | on | a multiplier such as 0.5')
    .option(
      '--provider <name>',
      'kinesis (the quota layer) or kafka (producer_byte_rate)',
      'kinesis',
    )
    .action(async (mode: string | undefined, opts: { provider: string }) => {
      const { paths, ports } = stackEnv();
      if (opts.provider === 'kinesis') {
        const admin = `http://${HOST}:${ports.kinesisQuota}`;
        if (mode === undefined) {
          log(formatQuotaMode((await (await fetch(`${admin}/quota`)).json()) as never));
          return;
        }
        const previous = await setKinesisQuota(admin, parseQuotaMode(mode));
        log(
          `kinesis quotas: ${formatQuotaMode(previous)} -> ${formatQuotaMode(parseQuotaMode(mode))}`,
        );
      } else if (opts.provider === 'kafka') {
        if (mode === undefined)
          throw new UsageError('kafka quotas: give a mode (off, on or a multiplier)');
        const tool = { libs: toolPaths(paths).kafkaLibs, bootstrap: `${HOST}:${ports.kafka}` };
        const previous = await setKafkaQuota(tool, parseQuotaMode(mode));
        log(
          `kafka quotas: ${formatQuotaMode(previous)} -> ${formatQuotaMode(parseQuotaMode(mode))}`,
        );
      } else {
        throw new UsageError(`--provider: expected kinesis or kafka, got '${opts.provider}'`);
      }
    });

  chaos
    .command('reset')
    .description('remove every toxic and re-enable every proxy (what a crashed run left behind)')
    .action(async () => {
      const { ports } = stackEnv();
      await toxiproxyApi(toxiproxyUrl(ports)).reset();
      log('toxiproxy reset: no toxics, every proxy enabled');
    });
}
