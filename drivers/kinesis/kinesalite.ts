/** kinesalite, the Kinesis emulator, in memory by default, in its own process. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Component, StackOptions } from '../../stack/components/types.ts';
import { HOST } from '../../stack/config.ts';
import { kinesaliteVersion, REPO_ROOT } from '../../stack/tools.ts';

/**
 * A Kinesis client for the local emulator. The SDK defaults to HTTP/2, which kinesalite
 * does not speak; NodeHttpHandler keeps it on HTTP/1.1. Credentials are placeholders.
 */
export function localKinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 10_000 }),
    maxAttempts: 1,
  });
}

/**
 * Where kinesalite keeps streams: in memory (the default), or LevelDB in the state dir so that
 * a killed kinesalite restarts with its streams, as Kinesis would keep them.
 */
export type KinesisStore = 'memory' | 'disk';

/** The store this stack runs: `options.kinesis.store` (stack.json), memory when absent. */
export const storeOf = (options: StackOptions): KinesisStore =>
  (options.kinesis as { store?: KinesisStore } | undefined)?.store ?? 'memory';

export const kinesalite: Component = {
  name: 'kinesalite',
  readyTimeoutMs: 20_000,
  listens: ({ ports }) => ({ api: ports.kinesis }),
  async prepare({ ports, paths, options }) {
    const dir = join(paths.state, 'kinesalite');
    const data = join(dir, 'data');
    // Every `stack up` starts from empty streams, on disk as in memory.
    rmSync(data, { recursive: true, force: true });
    const store = storeOf(options) === 'disk' ? ['--path', data] : [];
    return {
      name: 'kinesalite',
      command: process.execPath,
      args: [
        join(REPO_ROOT, 'drivers', 'kinesis', 'kinesalite-server.cjs'),
        '--port',
        String(ports.kinesis),
        '--state',
        paths.state,
        ...store,
      ],
      cwd: REPO_ROOT,
      env: {},
      log: join(dir, 'kinesalite.log'),
    };
  },
  async ready({ ports }) {
    const client = localKinesisClient(`http://${HOST}:${ports.kinesis}`);
    try {
      await client.send(new ListStreamsCommand({}));
    } finally {
      client.destroy();
    }
  },
  cleanup: ({ paths }) =>
    rmSync(join(paths.state, 'kinesalite', 'data'), { recursive: true, force: true }),
  async version() {
    return kinesaliteVersion();
  },
};
