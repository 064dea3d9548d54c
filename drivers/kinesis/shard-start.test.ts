import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { expect, test } from 'vitest';
import { ShardPoller, startIterator } from './shard-poller.ts';

test('a shard without checkpoint starts at the time given; on kinesalite at its start', () => {
  expect(startIterator(undefined, false)).toEqual({ ShardIteratorType: 'TRIM_HORIZON' });
  expect(startIterator(1_000, false)).toEqual({
    ShardIteratorType: 'AT_TIMESTAMP',
    Timestamp: new Date(1_000),
  });
  expect(startIterator(1_000, true)).toEqual({ ShardIteratorType: 'TRIM_HORIZON' });
});

test('records arrived before the start are checkpointed past, never handed to the engine', async () => {
  const iterators: unknown[] = [];
  let answered = false;
  const record = (seq: string, at: number) => ({
    SequenceNumber: seq,
    PartitionKey: 'h',
    Data: Buffer.from(seq),
    ApproximateArrivalTimestamp: new Date(at),
  });
  const client = {
    async send(cmd: { constructor: { name: string }; input: Record<string, unknown> }) {
      if (cmd.constructor.name === 'GetShardIteratorCommand') {
        iterators.push(cmd.input.ShardIteratorType);
        return { ShardIterator: 'it' };
      }
      const Records = answered ? [] : [record('1', 500), record('2', 900), record('3', 1_500)];
      answered = true;
      return { Records, NextShardIterator: 'it', MillisBehindLatest: 0 };
    },
  } as unknown as KinesisClient;
  const handled: string[] = [];
  const checkpoints = new Map<string, string>();
  const p = new ShardPoller(
    client,
    's',
    'shardId-0',
    async (batch) => {
      handled.push(...batch.map((r) => r.value.toString()));
    },
    checkpoints,
    () => {},
    { pollMs: 200, startAtMs: 1_000, emulator: true },
  );
  p.start();
  await new Promise((r) => setTimeout(r, 300));
  await p.stop();
  expect(iterators[0]).toBe('TRIM_HORIZON');
  expect(handled).toEqual(['3']);
  expect(checkpoints.get('shardId-0')).toBe('3');
});
