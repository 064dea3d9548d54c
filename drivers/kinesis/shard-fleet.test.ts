import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { ShardFleet } from './shard-fleet.ts';
import type { ShardPoller } from './shard-poller.ts';

/** A poller stand-in that closes its shard when told to. */
function fakePoller(id: string, started: string[]) {
  let close: () => void = () => {};
  const done = new Promise<void>((r) => {
    close = r;
  });
  const p = {
    closed: false,
    lag: { value: () => 0 },
    start: () => started.push(id),
    finished: () => done,
    stop: async () => close(),
    closeShard() {
      p.closed = true;
      close();
    },
  };
  return p;
}

describe('the shard fleet', () => {
  it('reads a split shard’s children only after the parent was read to its end', async () => {
    const shards = [
      { ShardId: 's0' },
      { ShardId: 's1' },
      { ShardId: 's2', ParentShardId: 's0' },
      { ShardId: 's3', ParentShardId: 's0' },
      { ShardId: 's4', ParentShardId: 's2', AdjacentParentShardId: 's3' },
    ];
    const client = { send: async () => ({ Shards: shards }) } as unknown as KinesisClient;
    const started: string[] = [];
    const pollers = new Map<string, ReturnType<typeof fakePoller>>();
    const fleet = new ShardFleet(
      client,
      'st',
      (id) => {
        const p = fakePoller(id, started);
        pollers.set(id, p);
        return p as unknown as ShardPoller;
      },
      () => {},
      60_000,
    );
    await fleet.start();
    expect(started).toEqual(['s0', 's1']);
    pollers.get('s0')!.closeShard();
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual(['s0', 's1', 's2', 's3']);
    pollers.get('s2')!.closeShard();
    await new Promise((r) => setTimeout(r, 20));
    expect(started).not.toContain('s4');
    pollers.get('s3')!.closeShard();
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toContain('s4');
    expect(fleet.lag()).toBe(0);
    await fleet.stop();
  });
});
