/**
 * Names a plan may use for what it hurts. `broker` is an alias resolved from the run's backend,
 * so one broker-* plan serves both: the kafka proxy, Kafka process and Kafka client quotas for
 * a Kafka run; the kinesis proxy, kinesalite and the Kinesis quota layer for a Kinesis run.
 * On a Kafka cluster `kafka-<id>` names one broker: its proxies (client and replication) or
 * its process; `kafka` (and `broker`) stands for every broker's proxies, and for the process
 * of the leader of the busiest partition (chaos/kafka-leader.ts).
 */

import { UserError } from '../common/user-error.ts';
import type { Backend } from '../contract/schema.ts';

const BROKERS = ['kafka-1', 'kafka-2', 'kafka-3'] as const;

export const PROXY_NAMES = ['broker', 'kafka', ...BROKERS, 'kinesis', 'downstream'] as const;
export type ProxyName = (typeof PROXY_NAMES)[number];

/** Daemon names as stack/ writes their pid files. */
export const PROCESS_NAMES = [
  'broker',
  'kafka',
  ...BROKERS,
  'kinesalite',
  'fulfillment',
  'engine',
] as const;
export type ProcessName = (typeof PROCESS_NAMES)[number];

export const QUOTA_PROVIDERS = ['broker', 'kafka', 'kinesis'] as const;
export type QuotaProvider = Exclude<(typeof QUOTA_PROVIDERS)[number], 'broker'>;

export class TargetError extends UserError {
  override name = 'TargetError';
}

function forBackend<T>(backend: Backend, kafka: T, kinesis: T): T {
  if (backend === 'kafka') return kafka;
  if (backend === 'kinesis') return kinesis;
  throw new TargetError(`'broker' means nothing for backend ${backend}: it has no broker`);
}

export function resolveProxy(name: ProxyName, backend: Backend): string {
  return name === 'broker' ? forBackend(backend, 'kafka', 'kinesis') : name;
}

export function resolveProcess(name: ProcessName, backend: Backend): string {
  return name === 'broker' ? forBackend(backend, 'kafka', 'kinesalite') : name;
}

export function resolveQuotaProvider(
  name: (typeof QUOTA_PROVIDERS)[number],
  backend: Backend,
): QuotaProvider {
  return name === 'broker' ? forBackend(backend, 'kafka', 'kinesis') : name;
}
