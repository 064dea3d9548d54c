/**
 * The Kinesis stand-in's fidelity: the service model a profile puts in front of kinesalite
 * (per-call latency, consumer cadence, capacity mode), the engine settings it implies, and
 * what each dimension was on the stack the run really had.
 */
import { absent, emulated, real } from '../../contract/dimensions.ts';
import type { Dimension, DimensionName, FidelityProfile } from '../../contract/fidelity-schema.ts';
import type { ServiceModel } from '../../contract/service-model.ts';
import { kinesisCapacity } from './capacity.ts';

/**
 * The quota layer's service model for a profile; the run's seed makes its delays repeatable.
 * `capacityScale` scales the write limits to the profile's stated capacity (capacity.ts).
 */
export function serviceModelOf(p: FidelityProfile, seed: number, capacityScale = 1): ServiceModel {
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
    capacityScale,
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

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A scale of the published limits is the run's own choice, not a figure AWS states. */
const ASSUMED_SCALE = { status: 'assumed' as const, value: null };

/**
 * `multiplier`: the scale of AWS's per-shard limits the quota layer enforced (null: off,
 * `--kinesis-quota off`); `shards`: the local stream's. Any scale but 1, a stated capacity's
 * included, is no longer AWS's published figure: the limits are then emulated on an
 * assumption, and say their scaled values.
 */
export function kinesisDimensions(
  profile: FidelityProfile,
  multiplier: number | null,
  shards = 4,
): Record<DimensionName, Dimension> {
  const quotaOn = multiplier !== null;
  const cap = quotaOn ? kinesisCapacity(profile, shards, multiplier) : null;
  const writes = cap?.capacityScale ?? 1;
  const scaled = quotaOn && (multiplier !== 1 || writes !== 1);
  const k = profile.kinesis;
  const put = k?.latency.PutRecords;
  const get = k?.latency.GetRecords;
  const produce =
    put && put.value.p50 > 0
      ? emulated([put], `PutRecords p50 ${put.value.p50} ms, p99 ${put.value.p99} ms`)
      : absent('kinesalite on loopback answers in under a millisecond');
  const pollMs = k?.pollMs.value ?? 200;
  const apps = k?.consumerApps.value ?? 1;
  const cadence = `poll every ${pollMs} ms after each answer, ${apps} consumer app(s) per shard`;
  const propagation =
    k && get && get.value.p50 > 0
      ? emulated(
          [get, k.pollMs, k.consumerApps],
          `${cadence}, GetRecords p50 ${get.value.p50} ms, p99 ${get.value.p99} ms`,
        )
      : absent(`${cadence}; GetRecords answers on loopback`);
  const burst = k?.burstSeconds;
  const m = multiplier ?? 1;
  const w = k?.onDemand ? m : m * writes;
  const perShard = `${grouped.format(1000 * w)} records/s, ${grouped.format(w)} MiB/s written and ${grouped.format(5 * m)} reads/s per shard`;
  const window = burst?.value ? `${burst.value} s of burst` : 'over any one-second window';
  const limits = quotaOn
    ? emulated(
        [...(burst ? [burst] : []), ...(scaled ? [ASSUMED_SCALE] : [])],
        !scaled
          ? `${perShard}, ${window}`
          : w === m
            ? `×${grouped.format(m)} of AWS's limits: ${perShard}, ${window}`
            : `×${grouped.format(w)} of AWS's write limits (the stated capacity), ×${grouped.format(m)} of its reads: ${perShard}, ${window}`,
      )
    : absent('quota layer off: no per-shard limits');
  let capacity: Dimension;
  const c = profile.capacity;
  if (!quotaOn) capacity = absent('quota layer off: no capacity limit');
  else if (cap && c)
    capacity = emulated(
      [...(k ? [k.capacityMode] : []), c.scale, ...(c.kinesis?.shards ? [c.kinesis.shards] : [])],
      cap.record.line,
    );
  else if (k?.onDemand) {
    const o = k.onDemand;
    capacity = emulated(
      [k.capacityMode, ...Object.values(o)],
      `on-demand: ${Math.max(o.recordsPerS.value, 2 * o.previousPeakRecordsPerS.value)} records/s to start, doubled after ${Math.round(o.scaleAfterMs.value / 1000)} s of throttling; ${o.keyRecordsPerS.value} records/s per key`,
    );
  } else capacity = emulated(k ? [k.capacityMode] : [], 'provisioned: a fixed number of shards');
  return {
    produceLatency: produce,
    replication:
      produce.level === 'emulated'
        ? { ...produce, note: 'inside the service: its cost is part of PutRecords latency' }
        : absent('kinesalite keeps one copy; the cost of replication is not modelled'),
    readPropagation: propagation,
    shardLimits: limits,
    capacityMode: capacity,
    failureModel: absent('broker-kill stops kinesalite, every shard at once; AWS fails partially'),
    network:
      produce.level === 'emulated'
        ? { ...produce, note: 'part of each call latency' }
        : absent('loopback'),
  };
}

/** A run against Kinesis itself: every dimension is the service's own. */
export function realKinesis(where: string): Record<DimensionName, Dimension> {
  const own = real(`real service (${where})`);
  return {
    produceLatency: own,
    replication: real("the service's own replication"),
    readPropagation: own,
    shardLimits: real("the stream's own limits"),
    capacityMode: real("the stream's own capacity mode"),
    failureModel: real("the service's own failures; none is injected into it (docs/remote.md)"),
    network: real('the real network path from this machine to the service'),
  };
}

/**
 * A target whose endpoint is on this machine is a Kinesis API, not AWS's service (kinesalite,
 * an emulator): nothing of it stands for the managed service, and no service model runs.
 */
export function localKinesisApi(where: string): Record<DimensionName, Dimension> {
  const not = (what: string) => absent(`${where}: an API on this machine, not AWS's ${what}`);
  return {
    produceLatency: not('call latency'),
    replication: not('replication'),
    readPropagation: not('propagation'),
    shardLimits: not('per-shard limits'),
    capacityMode: not('capacity'),
    failureModel: not('failures'),
    network: absent('loopback: no network path to a service'),
  };
}
