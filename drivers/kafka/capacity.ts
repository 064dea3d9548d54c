/**
 * The Kafka cluster's stated ingress capacity (fidelity `capacity.kafka`: brokers of a size
 * and the ingress each takes, times the profile's scale), held by Kafka's own client quotas:
 * a default `producer_byte_rate` makes the real brokers throttle their clients (a produce
 * answer's throttle_time_ms, then a muted connection) as a saturated cluster does.
 *
 * Kafka enforces a client quota on each broker and for each client id: the local cluster's B
 * brokers each take the stated ingress × scale ÷ B. Every engine instance connects with the
 * one client id `hunt-engine` (cli/commands/engine.ts), so instances share the quota as the
 * producers of one application share a cluster.
 */

import { weakest } from '../../contract/dimensions.ts';
import type { CapacityRecord, FidelityProfile } from '../../contract/fidelity-schema.ts';
import {
  eventsPerS,
  formatBytesPerS,
  formatScale,
  perEventNote,
  TARGET_OWN,
  unenforced,
} from '../../contract/stated-capacity.ts';

/** The stated capacity, and the per-broker producer_byte_rate that holds it here. */
export interface KafkaCapacity {
  record: CapacityRecord;
  /** Bytes/s for each local broker's default client quota. */
  producerByteRate: number;
}

/** What a profile states of the cluster; null when it states no Kafka capacity. */
function stated(p: FidelityProfile) {
  const c = p.capacity;
  const k = c?.kafka;
  if (!c || !k) return null;
  const bytesPerS = k.brokers.value * k.ingressBytesPerS.value;
  const status = weakest([k.brokerSize, k.brokers, k.ingressBytesPerS]);
  const what = `${k.brokers.value} × ${k.brokerSize.value}`;
  return {
    scale: c.scale.value,
    eventBytes: k.eventBytes?.value ?? null,
    what,
    bytesPerS,
    head: `Kafka: ${what}, ${formatBytesPerS(bytesPerS)} ingress (${status})`,
  };
}

/**
 * The capacity a run on `localBrokers` brokers holds; null when the profile states none.
 * `e.g. Kafka: 3 × express.m7g.large, 46.8 MB/s ingress (published) × 1/100 = 468 KB/s here`.
 */
export function kafkaCapacity(p: FidelityProfile, localBrokers: number): KafkaCapacity | null {
  const s = stated(p);
  if (!s) return null;
  const here = s.bytesPerS * s.scale;
  const perBroker = Math.max(1, Math.round(here / localBrokers));
  const n = eventsPerS({ bytesPerS: here, recordsPerS: null }, s.eventBytes);
  return {
    producerByteRate: perBroker,
    record: {
      stated: s.what,
      statedBytesPerS: s.bytesPerS,
      statedRecordsPerS: null,
      scale: s.scale,
      enforced: true,
      bytesPerS: here,
      recordsPerS: null,
      eventsPerS: n,
      how: `Kafka client quota: default producer_byte_rate ${perBroker} B/s on each of ${localBrokers} broker(s), shared by every engine instance (one client id)`,
      line: `${s.head} × ${formatScale(s.scale)} = ${formatBytesPerS(here)} here${perEventNote(n, s.eventBytes)}`,
    },
  };
}

/** A run against an existing cluster holds nothing: the real cluster has its own capacity. */
export function kafkaTargetCapacity(p: FidelityProfile): CapacityRecord | null {
  const s = stated(p);
  if (!s) return null;
  return unenforced(
    { stated: s.what, statedBytesPerS: s.bytesPerS, statedRecordsPerS: null, scale: s.scale },
    s.head,
    TARGET_OWN('cluster'),
  );
}
