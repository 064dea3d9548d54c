/**
 * The k6 command line for one scenario run, for `hunt run` and the integration tests
 * (Node side; not a k6 script), and `startK6Daemon`, which runs it as a daemon of the stack.
 *
 *   k6 run --quiet --no-usage-report --include-system-env-vars=false \
 *     --out csv=fileName=<results>/k6-samples.csv.gz,timeFormat=unix_milli \
 *     -e BASE_URL=... -e HUNT_RESULTS=<results> ... scenarios/<scenario>.ts
 *
 * Every setting goes in as `-e`, and the shell's variables are kept out, so a run is
 * reproduced from its manifest alone. Exit codes: 0 pass, 99 thresholds (budgets)
 * breached, 107 script error (bad setting, engine not reachable in setup()).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../../common/user-error.ts';
import { RESULTS } from '../../contract/layout.ts';
import { type Paths, resolvePaths } from '../../stack/config.ts';
import {
  type DaemonIo,
  pidFile,
  readDaemon,
  spawnDaemon,
  stopDaemon,
} from '../../stack/process.ts';
import { REPO_ROOT, toolPaths } from '../../stack/tools.ts';

export const SCENARIOS = ['smoke', 'steady', 'peak-sale', 'spike', 'soak'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Names the scenarios read from `__ENV` (scenarios/lib/env.ts); others are refused. */
export const SCENARIO_ENV = [
  'BASE_URL',
  'ALLOW_REMOTE',
  'PROFILE',
  'SEED',
  'SCALE',
  'DURATION',
  'RATE',
  'POISON_RATE',
  'RETRIES',
  'RETRY_AFTER_MAX',
  'HUNT_RESULTS',
  'BUDGETS',
  'DATA',
  'MAX_VUS',
  'MIX',
  'SUMMARY_STDERR',
] as const;
export type ScenarioEnv = Partial<Record<(typeof SCENARIO_ENV)[number], string>>;

export interface K6CommandOptions {
  /** A scenario name, or a path to a k6 script. */
  scenario: Scenario | string;
  env?: ScenarioEnv;
  /** Results directory: k6-summary.json and k6-samples.csv.gz land here. */
  resultsDir?: string;
  /** k6 binary; default from findK6(). */
  k6?: string;
  /** Drop the progress bar, which only clutters log files. Default true. */
  quiet?: boolean;
  /** This k6 runs one agent's share of the scenario (k6 execution segments). */
  segment?: Segment;
}

/** Agent `index` of `count`: the share of every executor's load one k6 process offers. */
export interface Segment {
  index: number;
  count: number;
}

/**
 * k6's own way to split one test over processes (the one k6-operator uses): agent i offers
 * the segment i/N:(i+1)/N of a sequence cut in N equal parts, so the agents' arrivals
 * together are the scenario's, each iteration number (exec.scenario.iterationInTest) once.
 */
export function segmentArgs(s: Segment): string[] {
  if (!Number.isInteger(s.count) || s.count < 1 || !Number.isInteger(s.index))
    throw new Error(`segmentArgs: bad agent count ${s.count}`);
  if (s.index < 0 || s.index >= s.count)
    throw new Error(`segmentArgs: agent ${s.index} is not one of 0..${s.count - 1}`);
  const at = (i: number) => (i === 0 ? '0' : i === s.count ? '1' : `${i}/${s.count}`);
  const sequence = Array.from({ length: s.count + 1 }, (_, i) => at(i)).join(',');
  return [
    '--execution-segment',
    `${at(s.index)}:${at(s.index + 1)}`,
    '--execution-segment-sequence',
    sequence,
  ];
}

export interface K6Command {
  bin: string;
  args: string[];
  /** Extra process environment for k6 itself (not the script's __ENV). */
  env: Record<string, string>;
  /** Where the samples go, when resultsDir was given. */
  samples?: string;
}

export function scenarioPath(scenario: string): string {
  if ((SCENARIOS as readonly string[]).includes(scenario)) {
    return join(REPO_ROOT, 'scenarios', `${scenario}.ts`);
  }
  if (/\.(ts|js)$/.test(scenario)) {
    if (!existsSync(scenario)) throw new UserError(`--scenario: no script ${scenario}`);
    return scenario;
  }
  throw new UserError(
    `--scenario: unknown scenario '${scenario}'; known: ${SCENARIOS.join(', ')}, or a script path`,
  );
}

/** `-e KEY=value` for each scenario setting; a name the scenarios do not read is refused. */
export function scenarioEnvArgs(env: ScenarioEnv): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!(SCENARIO_ENV as readonly string[]).includes(key)) {
      throw new Error(`unknown scenario setting ${key}; known: ${SCENARIO_ENV.join(', ')}`);
    }
    if (value !== undefined) args.push('-e', `${key}=${value}`);
  }
  return args;
}

export function k6Command(opts: K6CommandOptions): K6Command {
  const env: ScenarioEnv = { ...opts.env };
  const args = ['run', '--no-usage-report', '--include-system-env-vars=false'];
  if (opts.quiet ?? true) args.push('--quiet');
  if (opts.segment) args.push(...segmentArgs(opts.segment));
  let samples: string | undefined;
  if (opts.resultsDir !== undefined) {
    if (!isAbsolute(opts.resultsDir) || /[,=]/.test(opts.resultsDir)) {
      // k6 splits its csv output argument on ',' and '='.
      throw new Error(`resultsDir must be an absolute path without ',' or '=': ${opts.resultsDir}`);
    }
    samples = join(opts.resultsDir, RESULTS.k6Samples);
    args.push('--out', `csv=fileName=${samples},timeFormat=unix_milli`);
    env.HUNT_RESULTS = opts.resultsDir;
  }
  args.push(...scenarioEnvArgs(env), scenarioPath(opts.scenario));
  const cmd: K6Command = {
    bin: opts.k6 ?? findK6(),
    args,
    env: { K6_NO_USAGE_REPORT: 'true' },
  };
  if (samples) cmd.samples = samples;
  return cmd;
}

/** The pinned k6 from `hunt setup`, an older cache layout's, or the one on PATH. */
export function findK6(paths: Paths = resolvePaths()): string {
  const candidates = [toolPaths(paths).k6, join(paths.cache, 'bin', 'k6')];
  return candidates.find((p) => existsSync(p)) ?? 'k6';
}

export interface K6Daemon {
  pid: number;
  /** k6's exit code (128 when killed by a signal, 127 when it could not start). */
  exited: Promise<number>;
  /** SIGINT: k6 stops gracefully and still writes its summary. */
  interrupt(): void;
}

/** The daemon name of a run's k6 in the state dir. */
export const K6_DAEMON = 'k6';

/** The daemon name of agent i when a run's load is split over several k6 processes. */
export const agentDaemon = (index: number) => `${K6_DAEMON}-${index}`;

/** Which daemon, which log, and how its stdio is wired; default: the run's one `k6`. */
export interface K6DaemonOptions {
  name?: string;
  /** Default `<dir>/logs/k6.log`. */
  log?: string;
  io?: DaemonIo;
  /** Runs once the process exited and before the daemon counts as ended (drain its output). */
  settle?: (child: ChildProcess) => Promise<void>;
}

/**
 * Starts k6 as the `k6` daemon of a state dir (pid file, own process group, log in
 * `<dir>/logs/k6.log`), so that `hunt stack down` or the next run stops a k6 whose run was
 * killed; a k6 left by such a run is stopped first. The pid file goes when k6 exits.
 */
export async function startK6Daemon(
  cmd: K6Command,
  dir: string,
  stateDir: string,
  opts: K6DaemonOptions = {},
): Promise<K6Daemon> {
  const name = opts.name ?? K6_DAEMON;
  await stopDaemon(stateDir, name, { signal: 'SIGINT', graceMs: 5_000 });
  const { record, child } = spawnDaemon(
    stateDir,
    {
      name,
      command: cmd.bin,
      args: cmd.args,
      cwd: join(REPO_ROOT, 'scenarios'),
      env: cmd.env,
      log: opts.log ?? join(dir, 'logs', 'k6.log'),
      owner: process.pid,
    },
    opts.io,
  );
  // A settle that failed (its samples not all written) makes a clean exit a failed one.
  const settled = (opts.settle?.(child) ?? Promise.resolve()).then(
    () => true,
    () => false,
  );
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.once('error', () => resolve(127));
  }).then(async (code) => {
    const ok = await settled;
    if (readDaemon(stateDir, name)?.pid === record.pid)
      rmSync(pidFile(stateDir, name), { force: true });
    return ok || code !== 0 ? code : 1;
  });
  return { pid: record.pid, exited, interrupt: () => child.kill('SIGINT') };
}
