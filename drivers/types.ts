/**
 * The driver seam: everything the harness needs of one broker, in one object, as
 * OpenMessaging Benchmark's BenchmarkDriver is to its framework. A driver is a folder
 * (drivers/<name>/) and one line in drivers/registry.ts; nothing outside drivers/ names a
 * broker or branches on one. docs/architecture.md has the checklist for adding one.
 *
 * Its parts, each optional where a broker may lack it:
 * - `engine`: the engine's backend built from the engine's settings, the hosts those settings
 *   reach (the loopback guard), their problems, and a start failure in one line;
 * - `local`: the stand-in the local stack runs (components, the engine's settings through
 *   Toxiproxy and past it, what a plan may name, the run's record of what was emulated);
 * - `target`: what an existing service (`hunt run --target`) needs and records.
 */
import type { QuotaSetting } from '../chaos/faults/types.ts';
import type { Plan } from '../chaos/plan.ts';
import type { BrokerTargets } from '../chaos/targets.ts';
import type { FidelityCheck } from '../contract/fidelity-check.ts';
import type {
  CapacityRecord,
  Dimension,
  DimensionName,
  FidelityProfile,
  RunFidelity,
} from '../contract/fidelity-schema.ts';
import type { RunTargetRecord } from '../contract/schema.ts';
import type { ServiceModel } from '../contract/service-model.ts';
import type { Backend, BackendOptions } from '../engine/backend.ts';
import type { EngineConfigInput } from '../engine/config.ts';
import type { Component, StackOptions } from '../stack/components/types.ts';
import type { Paths, Ports } from '../stack/config.ts';
import type { StackInfo } from '../stack/stack.ts';

/** The engine's settings a driver reads: its own keys, the region, the timeouts. */
export type BrokerSettings = Partial<EngineConfigInput> & Pick<EngineConfigInput, 'region'>;

export interface EngineSide {
  /** The backend, its clients connected as `s` says. */
  backend(s: BrokerSettings, o: BackendOptions): Backend;
  /** Each host the settings reach, by setting: a non-loopback one needs allowRemote. */
  hosts(s: BrokerSettings): [setting: string, host: string][];
  /** What is wrong with the settings, one line each naming the setting; empty when usable. */
  problems?(s: BrokerSettings): string[];
  /** A failure to reach the broker at start, as one line naming what to fix; undefined: not one. */
  startFailure?(s: BrokerSettings, err: unknown): string | undefined;
}

/** A stack the harness runs, as a driver's local side sees it. */
export interface LocalContext {
  paths: Paths;
  ports: Ports;
  /** Its stack.json; undefined when no stack runs. */
  stack: StackInfo | undefined;
}

/** What the local stack ran of the broker, for run.json and the fidelity dimensions. */
export interface StackFacts {
  /** The stack's options in force (stack.json), each stand-in's under its driver's name. */
  options: StackOptions;
  partitions: number;
  /** The multiplier of the limits its service model enforced; null: off, or none. */
  quota: number | null;
}

/** A flag of `hunt stack up` for one stand-in (commander's syntax: `--kafka-brokers <n>`). */
export interface StackFlag {
  flags: string;
  description: string;
}

/** What a sampler adds to each 1 Hz point of the run's timeline. */
export interface BrokerSampler {
  fields(): Record<string, unknown>;
  stop(): Promise<void>;
}

/** A profile's stated capacity as a run holds it on the stand-in. */
export interface LocalCapacity {
  /** run.json's record of it. */
  record: CapacityRecord;
  /** The quota the run holds for its length (journaled); null: the service model carries it. */
  quota: QuotaSetting | null;
}

export interface LocalSide {
  /** The stack's components this broker brings, in start order. */
  components: readonly Component[];
  /** Flags of `hunt stack up` for its stand-in. */
  stackFlags?: readonly StackFlag[];
  /**
   * Its stand-in's stack options (stack.json's `options[name]`): from `hunt stack up`'s flags
   * and the environment, or for a run that brings its own stack, from its profile and plan.
   * Throws a UserError naming the flag for a bad value.
   */
  stackOptions(p: {
    flags?: Record<string, string | undefined>;
    env: Record<string, string | undefined>;
    profile?: FidelityProfile;
    plan?: Plan;
  }): unknown;
  /** Why the running stack cannot carry out the plan faithfully; null when it can. */
  misfit?(plan: Plan, stack: StackInfo): string | null;
  /** Engine settings that reach the stand-in through the stack's proxies. */
  viaProxies(ports: Ports, stack: StackInfo | undefined): Partial<EngineConfigInput>;
  /** Settings that reach it directly, past Toxiproxy and any service model (the audit). */
  direct(ports: Ports): Partial<EngineConfigInput>;
  /** What a chaos plan may name of it: proxies, processes, quotas. */
  chaos: BrokerTargets;
  /** The daemons whose CPU and memory the run samples. */
  daemons(stack: StackInfo | undefined): string[];
  /** The daemon a process name stands for when killed now (a cluster's busiest leader). */
  killTarget?(name: string, c: LocalContext): Promise<string>;
  /** How to tell a restarted daemon that is no component of its own serves again. */
  readyProbe?(daemon: string, c: LocalContext): (() => Promise<void>) | undefined;
  /** Its quotas (`local.chaos.quota`): set one and answer the one replaced; read the one in force. */
  quota?: {
    set(c: LocalContext, s: QuotaSetting): Promise<QuotaSetting>;
    get?(c: LocalContext): Promise<QuotaSetting>;
  };
  /** One line per thing emulated rather than run for real, for the report's header. */
  emulation(facts: StackFacts): Record<string, string>;
  /** What each fidelity dimension was on this stack, beside what the profile asked. */
  dimensions(profile: FidelityProfile, facts: StackFacts): Record<DimensionName, Dimension>;
  /**
   * After the engine created the run's topic: what the broker really made of it, read back,
   * and the fidelity record with the dimensions that rest on it graded by it, with one line
   * for the run's log. Never throws: a failed read-back leaves those dimensions unknown.
   */
  readBack?(
    c: LocalContext,
    topic: string,
    fidelity: RunFidelity,
  ): Promise<{ fidelity: RunFidelity; line: string }>;
  /** Engine settings the profile implies (a consumer's cadence); an explicit --set wins. */
  profileSettings?(profile: FidelityProfile): Record<string, string>;
  /**
   * The service model to put in front of the stand-in, from the profile and the stack (its
   * stated capacity over the local shards). A broker with one has its quotas held by the run
   * at `--kinesis-quota` for the run's length.
   */
  serviceModel?(profile: FidelityProfile, seed: number, facts: StackFacts): ServiceModel;
  /** The profile's stated capacity (fidelity `capacity`) held here; null: it states none. */
  capacity?(profile: FidelityProfile, facts: StackFacts): LocalCapacity | null;
  /** The service model's own measurements beside the profile's targets, after a run. */
  selfCheck?(c: LocalContext, profile: FidelityProfile): Promise<FidelityCheck>;
  /**
   * Writes to the topic the stand-in refused for capacity since it was created (a service
   * model's throttling); null: could not be read. Absent: the stand-in throttles nothing itself.
   */
  throttledWrites?(c: LocalContext, topic: string): Promise<number | null>;
  /** Samples the stand-in itself each second (a cluster's partition leaders). */
  sampler?(c: { paths: Paths; ports: Ports; topic: string }): BrokerSampler | null;
}

export interface TargetSide {
  /** A setting the target file must give; a line naming it when missing. */
  missing(raw: Record<string, unknown>): string | null;
  /** What run.json keeps of the target: where it is and how it was reached, never a secret. */
  record(
    s: BrokerSettings,
  ): Pick<
    RunTargetRecord,
    'brokers' | 'region' | 'kinesisEndpoint' | 'tls' | 'saslMechanism' | 'saslUsername'
  >;
  /** One line: where the real broker was and how it was reached. */
  describe(t: RunTargetRecord): string;
  /**
   * Engine flags beside `--config <target file>`: what the engine must not take from the
   * local stack's defaults when the file leaves it out (the service's own endpoint).
   */
  engineArgs?(t: RunTargetRecord): string[];
  /**
   * Every fidelity dimension of the service the target names: the real one's own, and
   * not real where the target is no managed service (an API on this machine).
   */
  dimensions(t: RunTargetRecord): Record<DimensionName, Dimension>;
  /** The profile's stated capacity, recorded as not enforced: the service has its own. */
  capacity?(profile: FidelityProfile): CapacityRecord | null;
}

/**
 * What a reader of results needs of a driver: its own module per broker that imports no
 * client or SDK, so a report never loads a broker's clients (about half a second and 55 MB).
 */
export interface DriverDescription {
  readonly name: string;
  /** Whether its stand-in checks its service model against the profile after a run. */
  readonly selfChecks: boolean;
  /** One line: where a real broker a run used was and how it was reached. */
  describeTarget?(t: RunTargetRecord): string;
}

export interface Driver {
  /** The name runs, matrices, plans and configs use (`--backend kafka`). */
  readonly name: string;
  /** The broker's name in sentences: `Kafka`. */
  readonly label: string;
  /** What the broker calls the log the engine writes: topic, stream. */
  readonly noun: string;
  readonly engine: EngineSide;
  /** Absent: no local stand-in; runs use the backend in-process only (unit tests). */
  readonly local?: LocalSide;
  /** Absent: it cannot be a run's existing target. */
  readonly target?: TargetSide;
}
