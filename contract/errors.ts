import { UserError } from '../common/user-error.ts';

/** A results directory or budgets file that can't be read as such: the user's to fix, not a bug. */
export class ReportInputError extends UserError {
  override name = 'ReportInputError';
}
