#!/usr/bin/env node
// Installs npm dependencies when node_modules is missing or older than the lockfile,
// so that `npm test` and `npm run demo` work on a fresh clone. Plain JS: it runs before
// anything from node_modules exists.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const stale = !existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs;
const linked =
  existsSync(join(root, 'node_modules')) && lstatSync(join(root, 'node_modules')).isSymbolicLink();
if (stale && linked) {
  // npm ci replaces node_modules, and through a link it empties the directory another
  // checkout is using: install there instead.
  console.log(
    "[deps] node_modules is a link to another checkout's packages: not reinstalling through it (run npm ci where it points if they are out of date)",
  );
} else if (stale) {
  // `npm ci`: exactly the lockfile, which lists every platform's optional binaries. It also
  // installs the Node binary that package.json pins for this platform, which bin/hunt.js uses.
  console.log('[deps] installing npm dependencies (npm ci, from package-lock.json)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
