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
  perEventNote,
  TARGET_OWN,
  unenforced,
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

/** The stated stream as a record's opening fields, and the line's head. */
function described(s: NonNullable<ReturnType<typeof stated>>) {
  const what = s.shards === null ? 'on-demand stream' : `${s.shards} provisioned shards`;
  return {
    base: {
      stated: what,
      statedBytesPerS: s.bytesPerS,
      statedRecordsPerS: s.recordsPerS,
      scale: s.scale,
    },
    head: `Kinesis: ${what}, ${both(s.recordsPerS, s.bytesPerS)} (${s.status})`,
  };
}

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
  const { base, head } = described(s);
  const capacityScale = s.shards === null ? s.scale : (s.shards * s.scale) / localShards;
  if (multiplier === null)
    return {
      capacityScale,
      record: unenforced(base, head, {
        how: '--kinesis-quota off turns the quota layer off',
        short: ' (--kinesis-quota off)',
      }),
    };
  const m = s.scale * multiplier;
  const recordsPerS = s.recordsPerS * m;
  const bytesPerS = s.bytesPerS * m;
  const x = multiplier === 1 ? '' : ` × ${formatScale(multiplier)} (--kinesis-quota)`;
  const n = eventsPerS({ bytesPerS, recordsPerS }, s.eventBytes);
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
      line: `${head} × ${formatScale(s.scale)}${x} = ${both(recordsPerS, bytesPerS)} here${perEventNote(n, s.eventBytes)}`,
    },
  };
}

/** A run against a real stream holds nothing: the stream has its own capacity. */
export function kinesisTargetCapacity(p: FidelityProfile): CapacityRecord | null {
  const s = stated(p);
  if (!s) return null;
  const { base, head } = described(s);
  return unenforced(base, head, TARGET_OWN('stream'));
}
