/**
 * Names a plan may use for what it hurts: the harness's own (the fulfillment service's proxy,
 * the engine and fulfillment processes) and what each broker's stand-in offers (its driver's
 * `local.chaos`). `broker` is an alias resolved from the run's backend, so one broker-* plan
 * serves every backend: its first proxy, its first process, its quotas.
 */
import { UserError } from '../common/user-error.ts';

export type QuotaMode = 'on' | 'off' | 'lie';

/** A broker's quotas as a plan sees them. */
export interface QuotaTarget {
  /** The name a plan gives (`provider: kinesis`). */
  provider: string;
  /** What it is, for messages: `Kinesis quota layer`, `Kafka client quotas`. */
  what: string;
  /** The modes it has; `lie` acknowledges a share of the records and drops them. */
  modes: readonly QuotaMode[];
  /** Whether it takes a bytes/s rate per client (`producerByteRate`) beside the multiplier. */
  byteRate: boolean;
}

/** What a broker's stand-in offers a plan. */
export interface BrokerTargets {
  /** Its driver's name (the run's backend). */
  backend: string;
  /** The broker's own name in sentences: `Kafka`. */
  label: string;
  /** Toxiproxy proxies a plan may name; the first is what `broker` means. */
  proxies: readonly string[];
  /** Daemons a plan may kill; the first is what `broker` means. */
  processes: readonly string[];
  quota?: QuotaTarget;
}

/** Every broker a plan may name, and so every name a plan may use. */
export type TargetCatalogue = readonly BrokerTargets[];

/** The run a plan is resolved for: its backend and what that backend's stand-in offers. */
export interface RunTargets {
  backend: string;
  /** null: the backend has no stand-in to hurt (the in-process memory backend). */
  broker: BrokerTargets | null;
}

/** The harness's own names, beside every broker's. */
export const OWN_PROXIES = ['downstream'] as const;
export const OWN_PROCESSES = ['fulfillment', 'engine'] as const;

const unique = (names: string[]) => [...new Set(names)] as [string, ...string[]];

export function proxyNames(c: TargetCatalogue): [string, ...string[]] {
  return unique(['broker', ...c.flatMap((b) => b.proxies), ...OWN_PROXIES]);
}
export function processNames(c: TargetCatalogue): [string, ...string[]] {
  return unique(['broker', ...c.flatMap((b) => b.processes), ...OWN_PROCESSES]);
}
export function quotaProviders(c: TargetCatalogue): [string, ...string[]] {
  return unique(['broker', ...c.flatMap((b) => (b.quota ? [b.quota.provider] : []))]);
}
export const quotaOf = (c: TargetCatalogue, provider: string): QuotaTarget | undefined =>
  c.find((b) => b.quota?.provider === provider)?.quota;

export class TargetError extends UserError {
  override name = 'TargetError';
}

function brokerOf(run: RunTargets): BrokerTargets {
  if (run.broker) return run.broker;
  throw new TargetError(`'broker' means nothing for backend ${run.backend}: it has no broker`);
}

export function resolveProxy(name: string, run: RunTargets): string {
  return name === 'broker' ? brokerOf(run).proxies[0]! : name;
}

export function resolveProcess(name: string, run: RunTargets): string {
  return name === 'broker' ? brokerOf(run).processes[0]! : name;
}

/** The quotas `broker` stands for on this run. */
export function brokerQuota(run: RunTargets): QuotaTarget {
  const broker = brokerOf(run);
  if (!broker.quota) throw new TargetError(`${broker.label} has no quotas a plan can set`);
  return broker.quota;
}
