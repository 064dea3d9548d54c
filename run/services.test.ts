import { expect, test } from 'vitest';
import { heapArgs } from './services.ts';

test("heapMiB becomes the spawned engine's heap limit; no setting, Node's default", () => {
  expect(heapArgs({ heapMiB: '96', design: 'naive' })).toEqual(['--max-old-space-size=96']);
  expect(heapArgs({ design: 'naive' })).toEqual([]);
  // A value the engine will refuse is not handed to Node: the engine's own check names it.
  expect(heapArgs({ heapMiB: '96; rm' })).toEqual([]);
});
