/**
 * `hunt capacity`: the breaking point of each configuration of a matrix. Takes `hunt
 * compare`'s flags (the matrix, the scenario, the fidelity profile, lanes), plus how the
 * search climbs and what breaks a run; `--scale` is where the climb starts.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  BOTTLENECK_TEXT,
  DEFAULT_MAX_NOT_ACCEPTED,
  SYMPTOM_TEXT,
} from '../../analysis/capacity.ts';
import type { SearchSettings } from '../../analysis/capacity-search.ts';
import { exitWith } from '../../common/exit-codes.ts';
import { table } from '../../common/table.ts';
import { UserError } from '../../common/user-error.ts';
import type { CapacityRecord } from '../../contract/capacity.ts';
import { capacity } from '../../run/capacity.ts';
import { Progress } from '../../run/progress.ts';
import { timestamp } from '../../run/run.ts';
import { resolvePorts } from '../../stack/config.ts';
import { readStackInfo } from '../../stack/stack.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { startPrivateStacks } from '../../system/private-stack.ts';
import { assertStackFits, stackDown, stackUp } from '../../system/stack.ts';
import { type AgentFlags, agentOptions, checkedAgents } from '../agent-flags.ts';
import { intOption, positiveOption } from '../options.ts';
import { checkedRunInput, interruptSignal } from '../run-flags.ts';
import { type CompareFlags, matrixOf, matrixOptions } from './compare.ts';

/**
 * Sized so that 2 backends × 2 designs finish within about 15 minutes on a 2-core machine:
 * short steps (the burst compressed), a coarse climb, one bisection, one more run at each
 * of the knee's two scales (README, "The breaking point").
 */
export const CAPACITY_DEFAULTS = {
  start: '0.5',
  factor: '2',
  maxSteps: '5',
  maxDown: '2',
  resolution: '1.5',
  repeat: '2',
  duration: '20s',
  drainTimeout: '30',
  drainStall: '10',
  /** Capacity is a question of load: a poison event is a fault, and would break every step. */
  poisonRate: '0',
  notAcceptedPct: String(DEFAULT_MAX_NOT_ACCEPTED * 100),
} as const;

export type CapacityFlags = CompareFlags &
  AgentFlags & {
    factor: string;
    maxSteps: string;
    maxDown: string;
    resolution: string;
    notAccepted: string;
  };

/** A number above 1 (a ratio between two scales). */
function ratioOption(flag: string, raw: string, max: number): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 1 || n > max)
    throw new UserError(`${flag}: expected a number above 1 and at most ${max}, got "${raw}"`);
  return n;
}

/**
 * The search and criterion from the flags, before anything starts. `given` says which flags
 * the user set: the run defaults that would make a search slow give way to its own.
 */
export function capacitySettings(
  f: CapacityFlags,
  given: (flag: 'scale' | 'duration' | 'drainTimeout' | 'drainStall' | 'poisonRate') => boolean,
): {
  search: SearchSettings;
  maxNotAcceptedShare: number;
  runFlags: CapacityFlags;
} {
  const factor = ratioOption('--factor', f.factor, 10);
  const resolution = ratioOption('--resolution', f.resolution, factor);
  const pct = Number(f.notAccepted);
  if (f.notAccepted.trim() === '' || !Number.isFinite(pct) || pct < 0 || pct >= 100)
    throw new UserError(
      `--not-accepted: expected a percentage from 0 to below 100, got "${f.notAccepted}"`,
    );
  const start = positiveOption('--scale', given('scale') ? f.scale : CAPACITY_DEFAULTS.start);
  const repeats = intOption('--repeat', f.repeat ?? CAPACITY_DEFAULTS.repeat, 1, 10);
  return {
    search: {
      start,
      factor,
      maxSteps: intOption('--max-steps', f.maxSteps, 1, 20),
      maxDown: intOption('--max-down', f.maxDown, 0, 10),
      resolution,
      repeats,
    },
    maxNotAcceptedShare: pct / 100,
    runFlags: {
      ...f,
      scale: String(start),
      duration: given('duration') ? f.duration : CAPACITY_DEFAULTS.duration,
      drainTimeout: given('drainTimeout') ? f.drainTimeout : CAPACITY_DEFAULTS.drainTimeout,
      drainStall: given('drainStall') ? f.drainStall : CAPACITY_DEFAULTS.drainStall,
      poisonRate: given('poisonRate') ? f.poisonRate : CAPACITY_DEFAULTS.poisonRate,
      // The matrix's repeat is the search's: it is not a count of runs per cell here.
      repeat: undefined,
    },
  };
}

/** capacitySettings with what the user gave read from the parsed command. */
export function commandSettings(cmd: Command, f: CapacityFlags) {
  // Unset options without a default have no source at all.
  return capacitySettings(f, (flag) => {
    const source = cmd.getOptionValueSource(flag);
    return source !== undefined && source !== 'default';
  });
}

const rps = (n: number | null) =>
  n === null ? 'unknown' : `${Math.round(n).toLocaleString('en-US')}/s`;

/** One row per configuration: the knee, its first symptom and what bound it. */
export function capacityTable(r: CapacityRecord): string {
  return table(
    ['configuration', 'held up to', 'first broke at', 'first symptom', 'bound by', 'runs'],
    r.configurations.map((c) => {
      const k = c.knee;
      return [
        c.name,
        k.heldScale === null
          ? 'none'
          : `${rps(k.heldPeakRps)} ×${k.heldScale} (${k.heldRuns}/${k.heldRuns})`,
        k.brokenScale === null
          ? 'none tried'
          : `${rps(k.brokenPeakRps)} ×${k.brokenScale} (${k.brokenOf}/${k.brokenRuns})`,
        k.firstSymptom === null ? '' : SYMPTOM_TEXT[k.firstSymptom],
        k.bottleneck === null ? '' : BOTTLENECK_TEXT[k.bottleneck.kind],
        String(c.steps.length),
      ];
    }),
  );
}

export function register(program: Command): void {
  const cmd = agentOptions(
    matrixOptions(
      program
        .command('capacity')
        .description(
          "each configuration's breaking point: raise the burst's scale until orders go unfulfilled, are refused or answered too slowly; confirm the knee; name the first broken symptom and what bound it",
        ),
      'capacity',
      {
        repeat: `runs at each of the knee's two scales, the first included: a held scale must hold in every one (default ${CAPACITY_DEFAULTS.repeat})`,
        lanes:
          'configurations searched side by side, each lane on its own private stack; they share this machine, so its knees come sooner (1: one after another)',
      },
    ),
  )
    .option(
      '--factor <x>',
      'each climbing step multiplies the scale by this',
      CAPACITY_DEFAULTS.factor,
    )
    .option(
      '--max-steps <n>',
      'climbing steps at most, before bisecting',
      CAPACITY_DEFAULTS.maxSteps,
    )
    .option(
      '--max-down <n>',
      'steps below the start scale at most, when the start already broke',
      CAPACITY_DEFAULTS.maxDown,
    )
    .option(
      '--resolution <x>',
      'bisect until the first broken scale is at most this many times the last held one',
      CAPACITY_DEFAULTS.resolution,
    )
    .option(
      '--not-accepted <pct>',
      'a run breaks when more than this percentage of its orders were not accepted',
      CAPACITY_DEFAULTS.notAcceptedPct,
    );
  // Shown as the search's: the run's own defaults would make every step minutes long.
  const shown: [string, string, string?][] = [
    ['--scale', CAPACITY_DEFAULTS.start, 'the first scale tried (it multiplies every rate)'],
    [
      '--duration',
      CAPACITY_DEFAULTS.duration,
      "each step's length: the scenario stretched or shrunk to it",
    ],
    ['--drain-timeout', CAPACITY_DEFAULTS.drainTimeout],
    ['--drain-stall', CAPACITY_DEFAULTS.drainStall],
    [
      '--poison-rate',
      CAPACITY_DEFAULTS.poisonRate,
      'share of arrivals sent as poison events: none, since a poison event is a fault, not load',
    ],
  ];
  for (const [flag, value, text] of shown) {
    const option = cmd.options.find((o) => o.long === flag);
    option?.default(value);
    if (option && text) option.description = text;
  }
  cmd.addHelpText(
    'after',
    `
A run breaks when any order is not fulfilled, more than --not-accepted of its orders are not
accepted, or the accepted-write p99 exceeds http_p99_ms of --budgets; an unknown figure breaks.
Writes capacity.json and capacity.html under --out. Exit 0 when the search completed, whatever the knees.`,
  );
  cmd.action(async (f: CapacityFlags) => {
    const { search, maxNotAcceptedShare, runFlags } = commandSettings(cmd, f);
    const agents = checkedAgents(f);
    // --repeat is the search's, so it never contradicts a matrix file.
    const { matrix, settings } = matrixOf(runFlags);
    const input = await checkedRunInput(runFlags);
    assertStackFits(input.plan, matrix.backends, input.paths);
    const lanes = intOption('--lanes', f.lanes, 1, 8);
    const budget = input.budgets.http_p99_ms;
    if (budget === undefined)
      throw new UserError(`${input.budgetsFile}: http_p99_ms: the criterion needs a p99 budget`);
    const progress = new Progress();
    const out = resolve(f.out ?? resolve(REPO_ROOT, 'results', `capacity-${timestamp()}`));
    const log = (line: string) => progress.log(line);
    // One stack per lane for every step: bringing one up per run would cost more than a step.
    const privates = lanes > 1 ? await startPrivateStacks(lanes, log) : [];
    const ownStack = lanes === 1 && readStackInfo(input.paths) === undefined;
    if (ownStack) await stackUp(input.paths, resolvePorts(), log);
    try {
      const result = await capacity({
        ...input,
        ...agents,
        engineSettings: { ...settings, ...input.engineSettings },
        matrix,
        search,
        criterion: { maxNotAcceptedShare, httpP99BudgetMs: budget },
        fidelityName: input.fidelity.profile.name,
        out,
        ...(privates.length > 0 ? { lanes: privates.map((p) => p.paths) } : {}),
        signal: interruptSignal(progress),
        progress,
      });
      log('');
      for (const c of result.record.configurations) log(`${c.knee.sentence}.`);
      log(`\n${capacityTable(result.record)}`);
      log(`\nreport: ${result.report}`);
      log(`results: ${join(result.dir, 'capacity.json')}`);
      exitWith(result.exitCode, `capacity ${result.dir}`);
    } finally {
      if (ownStack) await stackDown(input.paths, log);
      await Promise.all(privates.map((p) => p.stop()));
    }
  });
}
