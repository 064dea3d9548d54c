/** Errors raised for bad input or a missing prerequisite: shown as one line, exit 2. */
const USER_ERRORS = new Set([
  'ConfigError',
  'SetupError',
  'StackError',
  'UsageError',
  'PlanError',
  'ZodError',
]);

export class UsageError extends Error {
  override name = 'UsageError';
}

export function isUserError(err: unknown): boolean {
  return err instanceof Error && USER_ERRORS.has(err.name);
}
