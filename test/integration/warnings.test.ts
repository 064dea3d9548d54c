/**
 * The CLI's warning printer, in a process of its own (it replaces the process's listeners):
 * kafkajs's negative throttle timer says nothing on stderr, any other warning still does.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../../stack/tools.ts';

const script = `
  const { printWarningsExceptHarmless } = await import(${JSON.stringify(join(REPO_ROOT, 'cli', 'warnings.ts'))});
  if (process.argv.includes('filtered')) printWarningsExceptHarmless();
  setTimeout(() => {}, -5);
  process.emitWarning('keep me', { type: 'OtherWarning', code: 'HUNT1' });
  await new Promise((r) => setTimeout(r, 50));
`;

const run = (mode: string) =>
  execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, mode], {
    cwd: REPO_ROOT,
  });

it('drops TimeoutNegativeWarning and prints every other warning as Node does', async () => {
  // Without the printer, Node itself reports both: the test would see a regression of Node's.
  const plain = await run('plain');
  expect(plain.stderr).toContain('TimeoutNegativeWarning');
  const filtered = await run('filtered');
  expect(filtered.stderr).not.toContain('TimeoutNegativeWarning');
  expect(filtered.stderr).toMatch(/\(node:\d+\) \[HUNT1\] OtherWarning: keep me/);
});
