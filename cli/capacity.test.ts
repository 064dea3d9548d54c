import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../common/exit-codes.ts';
import { isUserError } from '../common/user-error.ts';
import {
  CAPACITY_DEFAULTS,
  type CapacityFlags,
  capacitySettings,
  commandSettings,
  register,
} from './commands/capacity.ts';

/** `hunt capacity ARGS` parsed as the CLI parses it; the action's first error, or null. */
async function capacityError(args: string[]): Promise<unknown> {
  const program = new Command('hunt').exitOverride();
  register(program);
  // Commander's own message would go to stderr: the error carries it.
  for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: () => {} });
  try {
    await program.parseAsync(['node', 'hunt', 'capacity', ...args]);
  } catch (err) {
    return err;
  }
  return null;
}

const FLAGS: CapacityFlags = {
  backend: 'kafka',
  producers: '1',
  scenario: 'peak-sale',
  plan: 'none',
  seed: '1',
  profile: 'flash-sale',
  scale: '1',
  drainTimeout: '120',
  kinesisQuota: 'on',
  partitions: '4',
  budgets: 'scenarios/budgets.yaml',
  auditIdPath: 'id',
  promiseMs: '30000',
  fidelity: 'aws-provisioned',
  lanes: '1',
  factor: CAPACITY_DEFAULTS.factor,
  maxSteps: CAPACITY_DEFAULTS.maxSteps,
  maxDown: CAPACITY_DEFAULTS.maxDown,
  resolution: CAPACITY_DEFAULTS.resolution,
  notAccepted: CAPACITY_DEFAULTS.notAcceptedPct,
  agentCommand: 'ssh',
  agentK6: 'k6',
};

describe('hunt capacity: bad input', () => {
  for (const [args, message] of [
    [['--factor', '1'], /--factor: expected a number above 1/],
    [['--factor', 'x'], /--factor: expected a number above 1/],
    [['--resolution', '3'], /--resolution: expected a number above 1 and at most 2/],
    [['--not-accepted', '100'], /--not-accepted: expected a percentage/],
    [['--not-accepted', '-1'], /--not-accepted: expected a percentage/],
    [['--max-steps', '0'], /--max-steps/],
    [['--repeat', '0'], /--repeat/],
    [['--scale', '0'], /--scale/],
    [['--backends', 'kafka,rabbit'], /--backends: expected a comma list of kafka, kinesis/],
    [['--designs', 'paranoid'], /--designs/],
    [['--agents', '0'], /--agents/],
    [
      ['--matrix', 'm.yaml', '--designs', 'naive'],
      /--designs: the matrix file m.yaml sets the matrix/,
    ],
  ] as const)
    it(`refuses ${args.join(' ')} before anything starts, naming the flag (exit 2)`, async () => {
      const err = await capacityError([...args]);
      expect(isUserError(err), String(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
      expect((err as { exitCode: number }).exitCode).toBe(EXIT.usage);
    });

  it('refuses an unknown option as bad input', async () => {
    const err = await capacityError(['--steps', '3']);
    expect((err as { code?: string }).code).toBe('commander.unknownOption');
  });
});

describe('hunt capacity: defaults', () => {
  it('starts at its own scale, step length and drain unless they are given', () => {
    const none = () => false;
    const { search, runFlags, maxNotAcceptedShare } = capacitySettings(FLAGS, none);
    expect(search).toEqual({
      start: 0.5,
      factor: 2,
      maxSteps: 5,
      maxDown: 2,
      resolution: 1.5,
      repeats: 2,
    });
    expect(maxNotAcceptedShare).toBe(0.01);
    expect(runFlags).toMatchObject({ duration: '20s', drainTimeout: '30', drainStall: '10' });
    const all = () => true;
    const given = capacitySettings({ ...FLAGS, scale: '3', duration: '90s', repeat: '4' }, all);
    expect(given.search).toMatchObject({ start: 3, repeats: 4 });
    expect(given.runFlags).toMatchObject({ duration: '90s', drainTimeout: '120', scale: '3' });
  });
});

describe('hunt capacity: flags as parsed', () => {
  it("shows the search's own defaults in its help", () => {
    const program = new Command('hunt');
    register(program);
    const help = program.commands.find((c) => c.name() === 'capacity')!.helpInformation();
    expect(help).toMatch(/--scale <x> +the first scale tried[^-]*\(default:\s+"0\.5"\)/);
    expect(help).toMatch(/--duration <d> +each step's length[^-]*\(default:\s+"20s"\)/);
    expect(help).toMatch(/--drain-timeout <s>[^-]*\(default:\s+"30"\)/);
    expect(help).toMatch(/--drain-stall <s>[\s\S]*?\(default:\s+"10"\)/);
  });

  /** The settings the action would use for ARGS, without starting anything. */
  async function settingsOf(args: string[]) {
    const program = new Command('hunt').exitOverride();
    register(program);
    const cmd = program.commands.find((c) => c.name() === 'capacity')!;
    let got: ReturnType<typeof commandSettings> | undefined;
    cmd.action((f: CapacityFlags) => {
      got = commandSettings(cmd, f);
    });
    await program.parseAsync(['node', 'hunt', 'capacity', ...args]);
    return got!;
  }

  it("takes its own defaults for flags not given, the user's where given", async () => {
    const none = await settingsOf([]);
    expect(none.search.start).toBe(0.5);
    expect(none.runFlags).toMatchObject({
      duration: '20s',
      drainTimeout: '30',
      drainStall: '10',
      poisonRate: '0',
    });
    const given = await settingsOf([
      '--scale',
      '2',
      '--duration',
      '45s',
      '--drain-stall',
      '5',
      '--poison-rate',
      '0.01',
    ]);
    expect(given.search.start).toBe(2);
    expect(given.runFlags).toMatchObject({
      duration: '45s',
      drainTimeout: '30',
      drainStall: '5',
      poisonRate: '0.01',
    });
  });
});
