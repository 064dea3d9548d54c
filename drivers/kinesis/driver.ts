/**
 * Kinesis, whole: the engine's backend (the AWS SDK's client, one poller per shard), the
 * stand-in of kinesalite behind the quota layer's service model (AWS's per-shard limits,
 * per-call latency, on-demand capacity), what a plan may hurt of it, its fidelity and
 * self-check, and what a real stream needs.
 */
import type { QuotaSetting } from '../../chaos/faults/types.ts';
import { UserError } from '../../common/user-error.ts';
import { HOST, isLoopback } from '../../stack/config.ts';
import { kinesaliteVersion } from '../../stack/tools.ts';
import type { BrokerSettings, Driver } from '../types.ts';
import { KinesisBackend } from './backend.ts';
import { kinesisCapacity, kinesisTargetCapacity } from './capacity.ts';
import { kinesisTargetDescription } from './description.ts';
import {
  engineSettingsOf,
  kinesisDimensions,
  localKinesisApi,
  realKinesis,
  serviceModelOf,
} from './fidelity.ts';
import { kinesalite, storeOf } from './kinesalite.ts';
import { kinesisQuota } from './quota-component.ts';
import { setKinesisQuota } from './quota-control.ts';
import { fidelityCheck, kinesisModelStats, throttledWrites } from './self-check.ts';
import { kinesisStoreFor, storeMisfit } from './store.ts';

const NAME = 'kinesis';

/** The host the client talks to: the endpoint override's, or AWS's regional endpoint. */
export function kinesisHost(s: Pick<BrokerSettings, 'kinesisEndpoint' | 'region'>): string {
  return s.kinesisEndpoint
    ? new URL(s.kinesisEndpoint).hostname
    : `kinesis.${s.region}.amazonaws.com`;
}

/** The client's endpoint: the override, or none for AWS's regional one. */
export const kinesisEndpoints = (s: Pick<BrokerSettings, 'kinesisEndpoint'>): string[] =>
  s.kinesisEndpoint ? [s.kinesisEndpoint] : [];

const adminUrl = (ports: { kinesisQuota: number }) => `http://${HOST}:${ports.kinesisQuota}`;

const chaos = {
  backend: NAME,
  label: 'Kinesis',
  proxies: [NAME],
  processes: ['kinesalite'],
  quota: {
    provider: NAME,
    what: 'Kinesis quota layer',
    modes: ['on', 'off', 'lie'],
    byteRate: false,
  },
} as const;

export const kinesisDriver: Driver = {
  name: NAME,
  label: 'Kinesis',
  noun: 'stream',
  engine: {
    backend: (s, o) =>
      new KinesisBackend({
        ...o,
        endpoints: kinesisEndpoints(s),
        kinesisPollMs: s.kinesisPollMs,
      }),
    hosts: (s) => [['kinesisEndpoint', kinesisHost(s)]],
  },
  local: {
    components: [kinesalite, kinesisQuota],
    stackFlags: [
      {
        flags: '--kinesis-store <memory|disk>',
        description:
          'kinesalite keeps streams in memory, or on disk so a killed kinesalite restarts with them (HUNT_KINESIS_STORE; default memory)',
      },
    ],
    stackOptions({ flags, env, plan }) {
      if (!flags) return { store: plan ? kinesisStoreFor(plan, chaos) : 'memory' };
      const store = flags.kinesisStore ?? env.HUNT_KINESIS_STORE ?? 'memory';
      if (store !== 'memory' && store !== 'disk')
        throw new UserError(`--kinesis-store: expected memory or disk, got '${store}'`);
      return { store };
    },
    misfit: (plan, stack) => storeMisfit(plan, chaos, stack),
    viaProxies: (ports) => ({ kinesisEndpoint: `http://${HOST}:${ports.kinesisProxy}` }),
    direct: (ports) => ({
      kinesisEndpoint: `http://${HOST}:${ports.kinesis}`,
      region: 'us-east-1',
    }),
    chaos,
    daemons: () => ['kinesalite'],
    quota: {
      set: (c, s) => setKinesisQuota(adminUrl(c.ports), s),
      async get(c) {
        const res = await fetch(`${adminUrl(c.ports)}/quota`);
        if (!res.ok) throw new Error(`quota layer: HTTP ${res.status}`);
        return (await res.json()) as QuotaSetting;
      },
    },
    emulation: ({ options, partitions, quota }) => ({
      kinesis: `kinesalite ${kinesaliteVersion()}, ${partitions} shards, streams ${storeOf(options) === 'disk' ? 'on disk' : 'in memory'}`,
      kinesisQuotas: quota === null ? 'off' : `on ×${quota} (AWS per-shard limits)`,
    }),
    dimensions: (profile, facts) => kinesisDimensions(profile, facts.quota, facts.partitions),
    profileSettings: engineSettingsOf,
    serviceModel: (profile, seed, facts) =>
      serviceModelOf(
        profile,
        seed,
        kinesisCapacity(profile, facts.partitions, facts.quota)?.capacityScale ?? 1,
      ),
    // The service model carries the capacity: nothing else to hold.
    capacity(profile, facts) {
      const c = kinesisCapacity(profile, facts.partitions, facts.quota);
      return c && { record: c.record, quota: null };
    },
    async selfCheck(c, profile) {
      return fidelityCheck(profile, await kinesisModelStats(adminUrl(c.ports)));
    },
    throttledWrites: (c, topic) => throttledWrites(adminUrl(c.ports), topic),
  },
  target: {
    missing: () => null,
    record: (s) => ({
      brokers: null,
      region: s.region,
      kinesisEndpoint: s.kinesisEndpoint ?? null,
      tls: false,
      saslMechanism: null,
      saslUsername: null,
    }),
    describe: kinesisTargetDescription,
    capacity: kinesisTargetCapacity,
    dimensions: (t) => {
      const where = kinesisTargetDescription(t);
      const host = t.kinesisEndpoint ? new URL(t.kinesisEndpoint).hostname : null;
      return host !== null && isLoopback(host) ? localKinesisApi(where) : realKinesis(where);
    },
    // Without an endpoint in the file: AWS's own, not the stack's proxy.
    engineArgs: (t) => (t.kinesisEndpoint === null ? ['--kinesis-endpoint', ''] : []),
  },
};
