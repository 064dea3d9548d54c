/** The plans shipped in chaos/plans/, and how a command-line plan argument finds its file. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../common/user-error.ts';
import { REPO_ROOT } from '../stack/tools.ts';

export const PLANS_DIR = join(REPO_ROOT, 'chaos', 'plans');

/** A path, or the name of a shipped plan (`cascade` -> chaos/plans/cascade.yaml). */
export function planFile(arg: string): string {
  if (existsSync(arg)) return arg;
  const shipped = shippedPlanFile(arg.replace(/\.ya?ml$/, ''));
  if (existsSync(shipped)) return shipped;
  throw new UserError(`no plan '${arg}': give a file or one of ${shippedPlans().join(', ')}`);
}

export const shippedPlanFile = (name: string): string => join(PLANS_DIR, `${name}.yaml`);

export function shippedPlans(): string[] {
  return readdirSync(PLANS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}
