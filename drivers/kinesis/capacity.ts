/**
 * The Kinesis stream's stated ingress capacity (fidelity `capacity`), held by the quota layer:
 * a provisioned stream of S shards takes S × 1,000 records/s and S × 1 MiB/s; an on-demand
 * one its starting allowance (kinesis.onDemand). Times the profile's scale, spread over the
 * local stream's L shards, each local shard's write limits are AWS's × S × scale ÷ L (the
 * service model's `capacityScale`). `--kinesis-quota x` multiplies on top, as it scales AWS's
 * limits without a capacity; `off` turns the layer off and the capacity with it (recorded).
 */

import { weakest } from '../../contract/dimensions.ts';
import type { CapacityRecord, FidelityProfile } from '../../contract/fidelity-schema.ts';
import {
  eventsPerS,
  formatBytesPerS,
  formatPerS,
  formatScale,
} from '../../contract/stated-capacity.ts';
import { SHARD_LIMITS } from './quota/limits.ts';

export interface KinesisCapacity {
  record: CapacityRecord;
  /** The service model's capacityScale: each local shard's (or the allowance's) write factor. */
  capacityScale: number;
}

function stated(p: FidelityProfile) {
  const c = p.capacity;
  const k = c?.kinesis;
  if (!c || !k) return null;
  const o = p.kinesis?.onDemand;
  const eventBytes = k.eventBytes?.value ?? null;
  if (o) {
    const recordsPerS = Math.max(o.recordsPerS.value, 2 * o.previousPeakRecordsPerS.value);
    const bytesPerS = Math.max(o.bytesPerS.value, 2 * o.previousPeakBytesPerS.value);
    const status = weakest([o.recordsPerS, o.bytesPerS, o.previousPeakRecordsPerS]);
    return { scale: c.scale.value, eventBytes, shards: null, recordsPerS, bytesPerS, status };
  }
  const shards = k.shards?.value ?? 0;
  return {
    scale: c.scale.value,
    eventBytes,
    shards,
    recordsPerS: shards * SHARD_LIMITS.writeRecordsPerS,
    bytesPerS: shards * SHARD_LIMITS.writeBytesPerS,
    // AWS publishes the per-shard limits; the stream's size is the profile's own choice.
    status: k.shards ? weakest([k.shards]) : ('assumed' as const),
  };
}

const both = (records: number, bytes: number) =>
  `${formatPerS(records, 'records')} and ${formatBytesPerS(bytes)}`;

/**
 * The capacity a run on `localShards` shards holds with the quota layer at `multiplier`
 * (null: `--kinesis-quota off`); null when the profile states none.
 */
export function kinesisCapacity(
  p: FidelityProfile,
  localShards: number,
  multiplier: number | null,
): KinesisCapacity | null {
  const s = stated(p);
  if (!s) return null;
  const what = s.shards === null ? 'on-demand stream' : `${s.shards} provisioned shards`;
  const head = `Kinesis: ${what}, ${both(s.recordsPerS, s.bytesPerS)} (${s.status})`;
  const capacityScale = s.shards === null ? s.scale : (s.shards * s.scale) / localShards;
  const base = {
    stated: what,
    statedBytesPerS: s.bytesPerS,
    statedRecordsPerS: s.recordsPerS,
    scale: s.scale,
  };
  if (multiplier === null)
    return {
      capacityScale,
      record: {
        ...base,
        enforced: false,
        bytesPerS: null,
        recordsPerS: null,
        eventsPerS: null,
        how: 'not enforced: --kinesis-quota off turns the quota layer off',
        line: `${head}: not enforced (--kinesis-quota off)`,
      },
    };
  const m = s.scale * multiplier;
  const recordsPerS = s.recordsPerS * m;
  const bytesPerS = s.bytesPerS * m;
  const x = multiplier === 1 ? '' : ` × ${formatScale(multiplier)} (--kinesis-quota)`;
  const n = eventsPerS({ bytesPerS, recordsPerS }, s.eventBytes);
  const perEvent = n === null ? '' : `, ~${formatPerS(n, 'events')} at ${s.eventBytes} B an event`;
  const spread =
    s.shards === null
      ? `the stream's allowance and each key's × ${formatScale(capacityScale)}`
      : `each of ${localShards} local shards' write limits × ${formatScale(capacityScale)}`;
  return {
    capacityScale,
    record: {
      ...base,
      enforced: true,
      bytesPerS,
      recordsPerS,
      eventsPerS: n,
      how: `Kinesis quota layer: ${spread}${multiplier === 1 ? '' : `, × ${multiplier} (--kinesis-quota)`}`,
      line: `${head} × ${formatScale(s.scale)}${x} = ${both(recordsPerS, bytesPerS)} here${perEvent}`,
    },
  };
}

/** A run against a real stream holds nothing: the stream has its own capacity. */
export function kinesisTargetCapacity(p: FidelityProfile): CapacityRecord | null {
  const c = kinesisCapacity(p, 1, null);
  if (!c) return null;
  return {
    ...c.record,
    how: "not enforced: a run against an existing stream meets the stream's own capacity",
    line: c.record.line.replace(/: not enforced .*$/, ": not enforced, the target's own capacity"),
  };
}
