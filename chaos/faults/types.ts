import type { z } from 'zod';
import type { ServiceModel } from '../../contract/service-model.ts';
import type { Capacity, CapacityPatch } from '../../engine/fulfillment/capacity.ts';
import type { RunTargets, TargetCatalogue } from '../targets.ts';

/** A toxic as Toxiproxy's API takes it. */
export interface ToxicBody {
  name: string;
  type: string;
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number>;
}

/** The part of Toxiproxy's API the runner needs; real one in chaos/toxiproxy.ts. */
export interface ToxiproxyApi {
  addToxic(proxy: string, toxic: ToxicBody): Promise<void>;
  removeToxic(proxy: string, name: string): Promise<void>;
  setEnabled(proxy: string, enabled: boolean): Promise<void>;
  /** Removes every toxic and enables every proxy: leftovers of a crashed runner. */
  reset(): Promise<void>;
  proxies(): Promise<{ name: string; enabled: boolean; toxics: string[] }[]>;
}

/** Stack processes by daemon name: SIGKILL now, start again identically later. */
export interface ProcessControl {
  /** Answers the daemon it killed when `name` stood for one of several (a cluster's leader). */
  kill(name: string): Promise<string | undefined>;
  /** Resolves once the process serves again. */
  restart(name: string): Promise<void>;
}

export interface QuotaSetting {
  /** `lie`: the quotas acknowledge a share of the records and drop them (where a provider can). */
  mode: 'on' | 'off' | 'lie';
  /** Scales the provider's limits: 0.5 halves AWS's per-shard limits. */
  multiplier: number;
  /** Where the provider takes it: bytes/s per client; default multiplier × 1 MiB/s. */
  producerByteRate?: number;
  /** lie only: the share (0..1] of written records dropped after a success answer. */
  share?: number;
  /** Where the provider has one: its service model (latency, capacity mode); absent: kept. */
  model?: ServiceModel;
}

export interface QuotaControl {
  /** Applies `setting` and answers the one it replaced, so that a step can restore it. */
  set(provider: string, setting: QuotaSetting): Promise<QuotaSetting>;
}

/** The fulfillment service's capacity (PUT /admin/capacity); real one in chaos/downstream-control.ts. */
export interface DownstreamControl {
  /** Applies a subset of the settings and answers the whole capacity it replaced. */
  set(patch: CapacityPatch): Promise<Capacity>;
}

export interface FaultContext {
  step: number;
  target: string;
  toxiproxy: ToxiproxyApi;
  processes?: ProcessControl;
  quotas?: QuotaControl;
  downstream?: DownstreamControl;
}

/** Undoes a fault; `memo` (JSON) is kept in the journal for `recover` after a crash. */
export type Revert = (() => Promise<void>) & { memo?: unknown };

/** One kind of step (`toxic:`, `disable:`, `kill:`, `quota:`, `downstream:`), registered in faults/index.ts. */
export interface FaultKind<S = unknown> {
  /** The step's key in YAML. */
  key: string;
  /** The step's schema; names of proxies, processes and quotas are the catalogue's. */
  schema(c: TargetCatalogue): z.ZodType<S>;
  /** Whether two windows of this kind on one target may not overlap. */
  exclusive: boolean;
  /** Recorded kind, e.g. `latency`, `disable`. */
  kind(spec: S): string;
  target(spec: S, run: RunTargets): string;
  describe(spec: S, target: string): string;
  /** Applies the fault; the returned function undoes it. */
  apply(spec: S, ctx: FaultContext): Promise<Revert>;
  /**
   * Undoes a fault a crashed runner left behind (read from its journal); absent for faults
   * that Toxiproxy's POST /reset already undoes.
   */
  recover?(target: string, ctx: FaultContext, memo: unknown): Promise<void>;
}

export function defineFault<S>(kind: FaultKind<S>): FaultKind {
  return kind as unknown as FaultKind;
}
