import { expect, test } from 'vitest';
import { ShardLag } from './lag.ts';

test('the lag is the age of the oldest unprocessed record, and grows while it waits', () => {
  let t = 10_000;
  const lag = new ShardLag(() => t, 5_000);
  expect(lag.value()).toBeNull();
  // kinesalite says MillisBehindLatest 0 even with records behind.
  lag.read(9_000, 0);
  expect(lag.value()).toBe(1_000);
  t = 13_000; // the handler is blocked: nothing is checkpointed
  expect(lag.value()).toBe(4_000);
  lag.committed(9_500);
  expect(lag.value()).toBe(3_500);
  t = 13_200;
  lag.read(undefined, 0);
  expect(lag.value()).toBe(0);
});

test('a caught-up shard that cannot be read for long is unknown, not 0', () => {
  let t = 0;
  const lag = new ShardLag(() => t, 5_000);
  lag.read(undefined, 0);
  t = 4_000;
  expect(lag.value()).toBe(0);
  t = 6_000;
  expect(lag.value()).toBeNull();
});

test("the broker's own MillisBehindLatest counts where it is larger (AWS)", () => {
  const t = 100_000;
  const lag = new ShardLag(() => t, 5_000);
  lag.read(undefined, 2_000);
  expect(lag.value()).toBe(2_000);
  lag.read(99_500, 3_000);
  expect(lag.value()).toBe(3_000);
});
