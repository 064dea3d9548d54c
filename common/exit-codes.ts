/**
 * Process exit codes of every `hunt` verb, one per outcome (README, "Exit codes"). An
 * outcome other than ok travels as an error carrying its code (`ExitError`, as k6's errext
 * does), and cli/main.ts alone turns it into the process's exit. Pure: k6 scripts and Node
 * code may both import it.
 */
export const EXIT = {
  ok: 0,
  /** A budget was breached or a figure regressed (`hunt run`, `hunt gate`). */
  budgets: 1,
  /** Bad input or a missing prerequisite (a tool, a running stack): the user's to fix. */
  usage: 2,
  /** Events were lost, or how many could not be counted. */
  lost: 3,
  /** The run did not complete: its figures are partial. */
  incomplete: 4,
  /** Something the harness did failed, not the user's input: a chaos step, a graceful stop. */
  failed: 5,
  /** Stopped by SIGINT/SIGTERM before its end. */
  interrupted: 130,
} as const;
export type ExitName = keyof typeof EXIT;
export type ExitCode = (typeof EXIT)[ExitName];

/** What each code means, in the words of the README's table and `--help`. */
export const EXIT_MEANING: Record<ExitName, string> = {
  ok: 'ok: every check passed',
  budgets: 'a budget was breached (or, with a baseline, a figure regressed)',
  usage: 'bad input or a missing prerequisite (a tool, a running stack)',
  lost: 'events were lost, or the loss could not be counted',
  incomplete: 'the run did not complete (its figures are partial)',
  failed: 'a step of the harness failed (a chaos step, a graceful stop)',
  interrupted: 'interrupted (SIGINT/SIGTERM)',
};

/** k6's own exit code when a threshold failed: a budget was breached, the run still completed. */
export const K6_THRESHOLDS_FAILED = 99;

/** An outcome that ends a verb with its exit code; the message is printed as one line. */
export class ExitError extends Error {
  override name = 'ExitError';
  readonly exitCode: ExitCode;
  constructor(exitCode: ExitCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** The code an error carries, when it carries one. */
export function exitCodeOf(err: unknown): ExitCode | null {
  return err instanceof ExitError ? err.exitCode : null;
}

/** The name of a code, for a message; undefined for a code that is not hunt's. */
export function exitName(code: number): ExitName | undefined {
  return (Object.keys(EXIT) as ExitName[]).find((name) => EXIT[name] === code);
}

/** Returns on ok; otherwise throws the outcome, `what` naming what ended so. */
export function exitWith(code: number, what: string): void {
  if (code === EXIT.ok) return;
  const name = exitName(code);
  if (name === undefined) throw new Error(`${what}: ${code} is not one of hunt's exit codes`);
  throw new ExitError(EXIT[name], `${what}: ${EXIT_MEANING[name]} (exit ${code})`);
}
