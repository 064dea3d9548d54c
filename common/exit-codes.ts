/**
 * Process exit codes of every `hunt` verb, distinct per outcome (docs/contracts.md,
 * "Results"). Pure: k6 scripts and Node code may both import it.
 */
export const EXIT = {
  ok: 0,
  /** A budget was breached (`hunt run`, `hunt gate`). */
  budgets: 1,
  /** Something failed that was not the user's input: a chaos step, a graceful stop. */
  failed: 1,
  /** Bad input or a missing prerequisite: the user's to fix. */
  usage: 2,
  lost: 3,
  incomplete: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** k6's own exit code when a threshold failed: a budget was breached, the run still completed. */
export const K6_THRESHOLDS_FAILED = 99;
