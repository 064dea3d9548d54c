/**
 * The one marker of an error that is the user's to fix (bad input, a missing prerequisite):
 * `hunt` prints its message as one line and exits 2, where any other error keeps its stack
 * trace. Pure, with no Node API, so k6 scripts can share error classes built on it.
 */
import { EXIT } from './exit-codes.ts';

export class UserError extends Error {
  override name = 'UserError';
  readonly exitCode: number = EXIT.usage;
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
