/** A results directory or budgets file that can't be read as such: the user's to fix, not a bug. */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}
