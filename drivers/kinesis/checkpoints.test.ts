import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { checkpointWriter } from './backend.ts';

test('saves that overlap (the timer and close) all land, the last one last', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'hunt-checkpoints-')), 'g.s.json');
  const save = checkpointWriter(file);
  await Promise.all(Array.from({ length: 20 }, (_, i) => save({ shard: String(i) })));
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ shard: '19' });
});
