/**
 * Fidelity profiles (scenarios/fidelity/*.yaml): loading one by name or file, strictly, and
 * turning it into what a run sets: the Kinesis quota layer's service model, the engine's
 * consumer cadence, and run.json's record of what each dimension was.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ServiceModel } from '../chaos/quota/model.ts';
import { UserError } from '../common/user-error.ts';
import { dimensionsFor, type StackFacts } from '../reports/fidelity-dimensions.ts';
import { FidelityProfile, type RunFidelity } from '../reports/fidelity-schema.ts';
import { type KafkaCluster, parseCluster } from '../stack/cluster.ts';
import { KAFKA_BROKERS } from '../stack/components/kafka.ts';
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

/** The quota layer's service model for a profile; the run's seed makes its delays repeatable. */
export function serviceModelOf(p: FidelityProfile, seed: number): ServiceModel {
  const k = p.kinesis;
  const latency = Object.fromEntries(
    Object.entries(k?.latency ?? {}).map(([op, l]) => [op, { ...l.value }]),
  );
  const o = k?.onDemand;
  const controlPlane = Object.fromEntries(
    Object.entries(k?.controlPlane ?? {}).map(([op, l]) => [op, { ...l.value }]),
  );
  return {
    seed,
    latency,
    controlPlane,
    consumerApps: k?.consumerApps.value ?? 1,
    burstSeconds: k?.burstSeconds.value ?? 0,
    capacity: o
      ? {
          mode: 'on-demand',
          recordsPerS: o.recordsPerS.value,
          bytesPerS: o.bytesPerS.value,
          previousPeakRecordsPerS: o.previousPeakRecordsPerS.value,
          previousPeakBytesPerS: o.previousPeakBytesPerS.value,
          scaleAfterMs: o.scaleAfterMs.value,
          keyRecordsPerS: o.keyRecordsPerS.value,
          keyBytesPerS: o.keyBytesPerS.value,
        }
      : { mode: 'provisioned' },
  };
}

/** Engine settings the profile sets (an explicit --set still wins). */
export function engineSettingsOf(p: FidelityProfile): Record<string, string> {
  return { kinesisPollMs: String(p.kinesis?.pollMs.value ?? 200) };
}

/** What the run's stack runs, for the dimensions a profile asks for. */
export function stackFacts(kinesisQuota: boolean, cluster: KafkaCluster): StackFacts {
  return {
    kafkaBrokers: cluster.brokers,
    kinesisQuota,
    kafkaCrossZone: cluster.brokers > 1 && cluster.crossZoneMs > 0,
  };
}

/**
 * The Kafka cluster a run that brings its own stack starts: the profile's brokers and
 * cross-zone latency, unless HUNT_KAFKA_BROKERS / HUNT_KAFKA_CROSS_ZONE_MS say otherwise.
 */
export function clusterOf(
  p: FidelityProfile,
  env: Record<string, string | undefined> = process.env,
): KafkaCluster {
  if (env.HUNT_KAFKA_BROKERS !== undefined) return parseCluster(env, {});
  const brokers = p.kafka?.brokers.value ?? KAFKA_BROKERS;
  const crossZoneMs = brokers > 1 ? (p.kafka?.crossZoneLatencyMs.value ?? 0) : 0;
  return parseCluster(env, { brokers: String(brokers), crossZoneMs: String(crossZoneMs) });
}

/** run.json's `fidelity`. */
export function runFidelity(
  loaded: LoadedProfile,
  backend: 'kafka' | 'kinesis',
  facts: StackFacts,
): RunFidelity {
  return {
    profile: loaded.profile,
    file: loaded.file,
    dimensions: dimensionsFor(loaded.profile, backend, facts),
  };
}
