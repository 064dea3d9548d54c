/**
 * A broker that is only a folder and one registry line: the in-memory log behind every part
 * of the driver seam, so that tests run the harness's driver-facing paths through a broker
 * the harness has never heard of. Its "stand-in" is an address: every backend built for one
 * address shares one log, as clients of one broker do.
 */
import type { QuotaSetting } from '../../chaos/faults/types.ts';
import { UserError } from '../../common/user-error.ts';
import { absent, emulated, real } from '../../contract/dimensions.ts';
import type { Dimension, DimensionName } from '../../contract/fidelity-schema.ts';
import { MemoryBackend, MemoryBroker } from '../../drivers/memory/backend.ts';
import type { Driver } from '../../drivers/types.ts';
import { proxy } from '../../stack/components/toxiproxy.ts';
import type { Component, ComponentContext } from '../../stack/components/types.ts';
import { HOST } from '../../stack/config.ts';

const NAME = 'fake';
/** Its port sits beside the stack's own, shifted with them. */
const portOf = (ports: ComponentContext['ports']) => ports.kafka + 50;
const proxyPortOf = (ports: ComponentContext['ports']) => ports.kafkaProxy + 50;

/** One log per address: what a client of that address reads and writes. */
const logs = new Map<string, MemoryBroker>();
export const logAt = (address: string): MemoryBroker => {
  const log = logs.get(address) ?? new MemoryBroker();
  logs.set(address, log);
  return log;
};

/** Every quota setting the harness asked of it, in order. */
export const quotaCalls: QuotaSetting[] = [];

const component: Component = {
  name: 'fake-broker',
  readyTimeoutMs: 1_000,
  listens: ({ ports }) => ({ api: portOf(ports) }),
  proxies: ({ ports }) => [proxy(NAME, proxyPortOf(ports), portOf(ports))],
  async prepare() {
    throw new Error('the fake broker has no process: it lives in the test');
  },
  async ready() {},
  async version() {
    return 'fake 1';
  },
};

const dimensions = (note: string): Record<DimensionName, Dimension> => ({
  produceLatency: absent(note),
  replication: absent(note),
  readPropagation: real(note),
  shardLimits: absent(note),
  capacityMode: absent(note),
  failureModel: absent(note),
  network: emulated([], note),
});

export const fakeDriver: Driver = {
  name: NAME,
  label: 'Fake',
  noun: 'log',
  engine: {
    backend: (s, o) => new MemoryBackend(o, logAt(s.brokers?.[0] ?? 'nowhere')),
    hosts: (s) => (s.brokers ?? []).map((b) => ['brokers', b.replace(/:\d+$/, '')]),
    problems: (s) => ((s.brokers ?? []).length > 1 ? ['brokers: the fake serves one address'] : []),
    startFailure: (_s, err) =>
      err instanceof Error && err.message === 'fake down' ? 'the fake broker is down' : undefined,
  },
  local: {
    components: [component],
    stackFlags: [{ flags: '--fake-shape <name>', description: 'the fake log shape' }],
    stackOptions: ({ flags, plan }) => {
      const shape = flags?.fakeShape ?? (plan ? `for ${plan.name}` : 'plain');
      if (shape === 'bad') throw new UserError('--fake-shape: bad is not a shape');
      return { shape };
    },
    viaProxies: (ports) => ({ brokers: [`${HOST}:${proxyPortOf(ports)}`] }),
    direct: (ports) => ({ brokers: [`${HOST}:${portOf(ports)}`] }),
    chaos: {
      backend: NAME,
      label: 'Fake',
      proxies: [NAME],
      processes: ['fake-broker'],
      quota: { provider: NAME, what: 'fake quotas', modes: ['on', 'off'], byteRate: false },
    },
    daemons: () => ['fake-broker'],
    quota: {
      async set(_c, s) {
        const previous = quotaCalls.at(-1) ?? { mode: 'off', multiplier: 1 };
        quotaCalls.push(s);
        return previous;
      },
    },
    emulation: ({ partitions, options }) => ({
      fake: `an in-memory log, ${partitions} partitions, shape ${(options.fake as { shape?: string } | undefined)?.shape ?? 'plain'}`,
    }),
    dimensions: () => dimensions('the fake stand-in'),
  },
  target: {
    missing: (raw) => (raw.brokers === undefined ? 'brokers: required for fake' : null),
    record: (s) => ({
      brokers: s.brokers ?? null,
      region: null,
      kinesisEndpoint: null,
      tls: false,
      saslMechanism: null,
      saslUsername: null,
    }),
    describe: (t) => `real fake: ${t.brokers?.join(',')}, log ${t.topic}`,
    dimensions: (t) => dimensions(`real fake at ${t.brokers?.join(',')}`),
  },
};
