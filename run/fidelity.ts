/**
 * Fidelity profiles (scenarios/fidelity/*.yaml): loading one by name or file, strictly, and
 * run.json's record of what each dimension was (each driver grades its own stand-in; what a
 * profile sets, a service model or a consumer's cadence, is the driver's too).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../common/user-error.ts';
import { FidelityProfile, type RunFidelity } from '../contract/fidelity-schema.ts';
import type { RunTargetRecord } from '../contract/schema.ts';
import { localDrivers } from '../drivers/registry.ts';
import type { Driver, StackFacts } from '../drivers/types.ts';
import { REPO_ROOT } from '../stack/tools.ts';

export const FIDELITY_DIR = join(REPO_ROOT, 'scenarios', 'fidelity');

export class FidelityError extends UserError {
  override name = 'FidelityError';
}

export function shippedFidelityProfiles(): string[] {
  return readdirSync(FIDELITY_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** A path, or the name of a shipped profile (`aws-provisioned` -> scenarios/fidelity/aws-provisioned.yaml). */
export function fidelityFile(arg: string): string {
  const shipped = join(FIDELITY_DIR, `${arg.replace(/\.ya?ml$/, '')}.yaml`);
  if (/^[a-z0-9-]+(\.ya?ml)?$/.test(arg) && existsSync(shipped)) return shipped;
  if (existsSync(arg)) return arg;
  throw new FidelityError(
    `--fidelity: no profile '${arg}': give a file or one of ${shippedFidelityProfiles().join(', ')}`,
  );
}

export interface LoadedProfile {
  profile: FidelityProfile;
  file: string;
}

/** Reads and checks a profile; every error names the file and the field. */
export function loadFidelityProfile(arg: string): LoadedProfile {
  const file = fidelityFile(arg);
  const shown = relative(REPO_ROOT, file).startsWith('..') ? file : relative(REPO_ROOT, file);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FidelityError(`fidelity profile ${shown}: not YAML: ${(e as Error).message}`);
  }
  const r = FidelityProfile.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const where = i.path.join('.') || '(file)';
    const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.join(', ')})` : '';
    throw new FidelityError(`fidelity profile ${shown}: ${where}: ${i.message}${keys}`);
  }
  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (file.startsWith(FIDELITY_DIR) && r.data.name !== stem)
    throw new FidelityError(`fidelity profile ${shown}: name: '${r.data.name}' must be '${stem}'`);
  return { profile: r.data, file: shown };
}

/** run.json's `fidelity`: each dimension as the run's stand-in had it, or the real service's. */
export function runFidelity(
  loaded: LoadedProfile,
  driver: Driver,
  ran: StackFacts | { target: RunTargetRecord },
): RunFidelity {
  const dimensions =
    'target' in ran
      ? driver.target?.dimensions(ran.target)
      : driver.local?.dimensions(loaded.profile, ran);
  if (!dimensions)
    throw new FidelityError(`backend ${driver.name}: no fidelity record for this run`);
  // The capacity as stated and as held here; a real service is held to its own.
  const capacity =
    'target' in ran
      ? driver.target?.capacity?.(loaded.profile)
      : driver.local?.capacity?.(loaded.profile, ran)?.record;
  return {
    profile: loaded.profile,
    file: loaded.file,
    dimensions,
    ...(capacity ? { capacity } : {}),
  };
}

/**
 * Each stand-in's capacity as a run that brings its own stack holds it under this profile
 * (`--kinesis-quota` on, `partitions` shards), one line each; a line saying so where the
 * profile states none.
 */
export function statedCapacities(
  loaded: LoadedProfile,
  partitions: number,
  env: Record<string, string | undefined>,
): string[] {
  return localDrivers().flatMap((d) => {
    if (!d.local.capacity) return [];
    const options = { [d.name]: d.local.stackOptions({ env, profile: loaded.profile }) };
    const held = d.local.capacity(loaded.profile, { options, partitions, quota: 1 });
    return [held?.record.line ?? `${d.label}: no capacity stated (${loaded.file})`];
  });
}
