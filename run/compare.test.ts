import { expect, test } from 'vitest';
import { inLanes } from './compare.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('lanes run side by side, one item at a time each, and the results keep the schedule order', async () => {
  const busy = new Map<string, number>();
  let most = 0;
  const started: string[] = [];
  const delays = [30, 5, 5, 5, 20, 5, 5];
  const out = await inLanes(delays, ['a', 'b', 'c'], async (ms, lane, at) => {
    busy.set(lane, (busy.get(lane) ?? 0) + 1);
    expect(busy.get(lane)).toBe(1);
    most = Math.max(
      most,
      [...busy.values()].reduce((n, v) => n + v, 0),
    );
    started.push(`${at}@${lane}`);
    await sleep(ms);
    busy.set(lane, busy.get(lane)! - 1);
    return at * 10;
  });
  expect(out).toEqual([0, 10, 20, 30, 40, 50, 60]);
  expect(most).toBe(3);
  // Each lane took the next item when its last one ended: the long first item held lane a.
  expect(started.slice(0, 3)).toEqual(['0@a', '1@b', '2@c']);
  expect(started.filter((s) => s.endsWith('@a'))).toEqual(['0@a']);
});

test('a stop leaves the items not yet started undone', async () => {
  let stop = false;
  const out = await inLanes(
    [1, 2, 3, 4],
    ['only'],
    async (n) => {
      if (n === 2) stop = true;
      return n;
    },
    () => stop,
  );
  expect(out).toEqual([1, 2, undefined, undefined]);
});
