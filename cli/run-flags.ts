/**
 * The options `hunt run`, `hunt compare` and `hunt demo` share: declared once, checked once,
 * before anything starts (a bad flag never needs a running stack to be reported).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PROMISE_MS } from '../analysis/symptoms.ts';
import { loadPlan } from '../chaos/plan.ts';
import { planFile } from '../chaos/shipped-plans.ts';
import { readBudgets } from '../reports/budgets.ts';
import { MAX_PRODUCERS } from '../run/engines.ts';
import { loadFidelityProfile, shippedFidelityProfiles } from '../run/fidelity.ts';
import type { Progress } from '../run/progress.ts';
import { scenarioPath } from '../scenarios/lib-node/run-k6.ts';
import { resolvePaths } from '../stack/config.ts';
import { REPO_ROOT } from '../stack/tools.ts';
import { planTargets } from '../system/chaos.ts';
import {
  fractionOption,
  idPathOption,
  intOption,
  positiveOption,
  quotaOption,
  settingsOption,
} from './options.ts';
import { abortOnStopSignals } from './signals.ts';

export interface RunFlags {
  backend: string;
  scenario: string;
  plan: string;
  seed: string;
  profile: string;
  scale: string;
  poisonRate?: string;
  duration?: string;
  out?: string;
  drainTimeout: string;
  drainStall?: string;
  kinesisQuota: string;
  partitions: string;
  budgets: string;
  auditIdPath: string;
  promiseMs: string;
  fidelity: string;
  set?: string[];
  producers: string;
}

/**
 * The fidelity profile a command uses unless told otherwise. `hunt run` keeps loopback, the
 * stand-ins as they are; a comparison defaults to aws-provisioned, because on loopback
 * kinesalite answers in under a millisecond and a ranking against it says nothing about
 * Kinesis (Kafka's missing replication is then shown as absent, with its figures badged).
 */
export const DEFAULT_FIDELITY = { run: 'loopback', compare: 'aws-provisioned' } as const;

export function runOptions(cmd: Command, fidelity: string = DEFAULT_FIDELITY.run): Command {
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
      '--poison-rate <fraction>',
      "share of arrivals sent as poison events, from 0 to 1 (default: the scenario's, 0.005)",
    )
    .option(
      '--duration <d>',
      "stretch or shrink the scenario to this length, e.g. 90s (default: the plan's length, or the scenario's for a plan without faults)",
    )
    .option('--drain-timeout <s>', 'seconds to wait for the backlog to drain after the load', '120')
    .option(
      '--drain-stall <s>',
      'end the drain once the consumer has delivered nothing for this long while the backlog stays put (recorded as stalled, its time censored)',
    )
    .option(
      '--kinesis-quota <on|off|x>',
      "Kinesis per-shard quotas: AWS's limits (on), off, or a multiplier; it multiplies a fidelity profile's stated capacity too, and off turns that off",
      'on',
    )
    .option('--partitions <n>', 'Kafka partitions / Kinesis shards of the run topic', '4')
    .option('--budgets <file>', 'latency and error budgets', 'scenarios/budgets.yaml')
    .option(
      '--audit-id-path <path>',
      "where each record's event id sits, as a dot path (the Event-Id k6 sent)",
      'id',
    )
    .option(
      '--promise-ms <ms>',
      'an order fulfilled later than this after it was placed is a failed sale',
      String(DEFAULT_PROMISE_MS),
    )
    .option(
      '--fidelity <name>',
      `fidelity profile: ${shippedFidelityProfiles().join(' | ')}, or a file (scenarios/fidelity/)`,
      fidelity,
    )
    .option('--set <key=value...>', 'engine settings, e.g. --set backlogCritical=50000')
    .option(
      '--producers <n>',
      'engine instances behind one load balancer on the engine address; the first consumes, the others only produce (docs/stopgaps.md)',
      '1',
    );
}

export async function checkedRunInput(f: RunFlags) {
  scenarioPath(f.scenario);
  const file = planFile(f.plan);
  const budgetsFile = resolve(REPO_ROOT, f.budgets);
  const plan = loadPlan(file, planTargets());
  // The plan sets the clock: load lasts as long as its fault timeline, so every fault meets
  // load. A plan without steps leaves the scenario its own length.
  const duration = f.duration ?? (plan.steps.length > 0 ? `${plan.duration}s` : undefined);
  const quota = quotaOption('--kinesis-quota', f.kinesisQuota);
  return {
    scenario: f.scenario,
    plan,
    planFile: file,
    seed: intOption('--seed', f.seed, 0, 2 ** 31 - 1),
    profile: f.profile,
    scale: positiveOption('--scale', f.scale),
    ...(f.poisonRate === undefined
      ? {}
      : { poisonRate: fractionOption('--poison-rate', f.poisonRate) }),
    ...(duration ? { duration } : {}),
    drainTimeoutS: intOption('--drain-timeout', f.drainTimeout, 1, 3600),
    ...(f.drainStall === undefined
      ? {}
      : { drainStallS: intOption('--drain-stall', f.drainStall, 1, 3600) }),
    kinesisQuota: quota.mode === 'off' ? null : quota.multiplier,
    partitions: intOption('--partitions', f.partitions, 1, 64),
    budgets: await readBudgets(budgetsFile),
    budgetsFile,
    engineSettings: settingsOption(f.set),
    producers: intOption('--producers', f.producers, 1, MAX_PRODUCERS),
    auditIdPath: idPathOption('--audit-id-path', f.auditIdPath),
    promiseMs: intOption('--promise-ms', f.promiseMs, 1, 86_400_000),
    fidelity: loadFidelityProfile(f.fidelity),
    paths: resolvePaths(),
  };
}

/** SIGINT/SIGTERM abort the run cleanly; a second one exits at once (cli/signals.ts). */
export function interruptSignal(progress: Progress): AbortSignal {
  return abortOnStopSignals((sig) =>
    progress.log(`[run] ${sig}: stopping everything cleanly (again to exit now)`),
  );
}
