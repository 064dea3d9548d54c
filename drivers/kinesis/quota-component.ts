/**
 * The Kinesis quota layer (chaos/quota) between Toxiproxy's kinesis proxy and kinesalite.
 * It starts with quotas off, passing everything through; runs and chaos plans switch it on
 * through its admin route, so local Kinesis throttles under a burst as AWS does.
 */
import { join } from 'node:path';
import { proxy } from '../../stack/components/toxiproxy.ts';
import type { Component } from '../../stack/components/types.ts';
import { HOST } from '../../stack/config.ts';
import { REPO_ROOT } from '../../stack/tools.ts';

const adminUrl = (port: number) => `http://${HOST}:${port}`;

export const kinesisQuota: Component = {
  name: 'kinesis-quota',
  readyTimeoutMs: 20_000,
  listens: ({ ports }) => ({ api: ports.kinesisQuota }),
  // Clients reach the service model, and through it kinesalite, only through Toxiproxy.
  proxies: ({ ports }) => [proxy('kinesis', ports.kinesisProxy, ports.kinesisQuota)],
  async prepare({ ports, paths }) {
    return {
      name: 'kinesis-quota',
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        join(REPO_ROOT, 'drivers', 'kinesis', 'quota', 'main.ts'),
        '--port',
        String(ports.kinesisQuota),
        '--upstream',
        `http://${HOST}:${ports.kinesis}`,
        '--mode',
        'off',
        '--state',
        paths.state,
      ],
      cwd: REPO_ROOT,
      env: {},
      log: join(paths.state, 'kinesis-quota', 'kinesis-quota.log'),
    };
  },
  async ready({ ports }) {
    const res = await fetch(`${adminUrl(ports.kinesisQuota)}/quota`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) throw new Error(`quota layer: HTTP ${res.status}`);
  },
  async version() {
    return 'built-in';
  },
};
