#!/usr/bin/env node
// Installs npm dependencies when node_modules is missing or older than the lockfile,
// so that `npm test` and `npm run demo` work on a fresh clone. Plain JS: it runs before
// anything from node_modules exists.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const stale = !existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs;
if (stale) {
  // `npm install`, not `npm ci`: it installs the lockfile's versions all the same, and
  // `npm ci` refuses a lockfile that lists only this platform's optional binaries (biome's),
  // which is how npm 11 writes it here.
  console.log('[deps] installing npm dependencies (npm install, from package-lock.json)');
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
