/**
 * The one marker of an error that is the user's to fix (bad input, a missing prerequisite):
 * `hunt` prints its message as one line and exits with its code (2, `EXIT.usage`), where any
 * other error keeps its stack trace. Pure, with no Node API, so k6 scripts can share error
 * classes built on it.
 */
import { EXIT, ExitError } from './exit-codes.ts';

export class UserError extends ExitError {
  override name = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(EXIT.usage, message, options);
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
