/**
 * `--max-regression`'s parser, apart from cli/options.ts: `hunt report` and `hunt gate` take
 * it, and options.ts loads the driver registry (every broker's clients) for its other parsers.
 */
import { UserError } from '../common/user-error.ts';

/** A percentage ≥ 0, as `--max-regression` takes. */
export function percentOption(flag: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UserError(`${flag}: expected a percentage, got "${raw}"`);
  return n;
}
