import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ShardPoller } from './shard-poller.ts';

/** A stand-in client that records when GetRecords is called and answers after `callMs`. */
function recordingClient(callMs: number) {
  const calls: number[] = [];
  const limits: number[] = [];
  const client = {
    async send(cmd: { constructor: { name: string }; input: { Limit?: number } }) {
      if (cmd.constructor.name === 'GetShardIteratorCommand') return { ShardIterator: 'it' };
      calls.push(Date.now());
      limits.push(cmd.input.Limit ?? 0);
      await new Promise((r) => setTimeout(r, callMs));
      return { Records: [], NextShardIterator: 'it', MillisBehindLatest: 0 };
    },
  };
  return { client: client as unknown as KinesisClient, calls, limits };
}

async function gaps(pollMs: number | undefined, callMs: number, runMs: number, seen?: number[]) {
  const { client, calls, limits } = recordingClient(callMs);
  const p = new ShardPoller(
    client,
    's',
    'shardId-0',
    async () => {},
    new Map(),
    () => {},
    {
      pollMs,
    },
  );
  p.start();
  await vi.advanceTimersByTimeAsync(runMs);
  await p.stop();
  seen?.push(...limits);
  return calls.slice(1).map((t, i) => t - calls[i]!);
}

// A frozen clock: the cadence is exact, with no bound that depends on how busy the host is.
describe('the shard poller cadence', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits the profile cadence after each answer, idle or not', async () => {
    const limits: number[] = [];
    const g = await gaps(500, 20, 1800, limits);
    // Slower polling reads more a call, so the cadence never caps a shard's throughput.
    expect(limits[0]).toBe(3000);
    // Each call starts the cadence after the previous answer (20 ms after its call).
    expect(g).toEqual([520, 520, 520]);
  });

  it('never calls more often than five times a second, even when set lower', async () => {
    const g = await gaps(50, 1, 1300);
    expect(g).toEqual([201, 201, 201, 201, 201, 201]);
  });
});
