import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

test('a node_modules linked to another checkout is not reinstalled through the link, even when older than the lockfile', () => {
  const root = mkdtempSync(join(tmpdir(), 'hunt-deps-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(
    join(import.meta.dirname, 'ensure-deps.js'),
    join(root, 'scripts', 'ensure-deps.js'),
  );
  const pkg = { name: 'linked', version: '1.0.0' };
  writeFileSync(join(root, 'package.json'), JSON.stringify(pkg));
  writeFileSync(
    join(root, 'package-lock.json'),
    JSON.stringify({ ...pkg, lockfileVersion: 3, requires: true, packages: { '': pkg } }),
  );
  // The other checkout's packages, installed before this lockfile was written.
  const shared = join(root, 'shared');
  mkdirSync(join(shared, 'some-package'), { recursive: true });
  writeFileSync(join(shared, '.package-lock.json'), '{}');
  utimesSync(join(shared, '.package-lock.json'), new Date(0), new Date(0));
  symlinkSync(shared, join(root, 'node_modules'));

  try {
    const said = execFileSync(process.execPath, [join(root, 'scripts', 'ensure-deps.js')], {
      encoding: 'utf8',
    });
    expect(said).toMatch(/node_modules is a link to another checkout's packages: not reinstalling/);
    expect(existsSync(join(shared, 'some-package'))).toBe(true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
